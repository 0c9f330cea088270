import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

/**
 * The model on an opened filing (the authored tiny iXBRL fixture), whatever
 * model is shipped: the figures must be consistent with each other and with
 * the filer's tags, not equal to a particular model's.
 */
const FIXTURE = readFileSync(new URL('./fixtures/tiny-10q.htm', import.meta.url));
/** The fixture's target facts in prose sentences (its e2e test lists them): the gold entities. */
const GOLD_ENTITIES = 5;

test.describe.configure({ timeout: 90_000 });

test("the model on a filing: its entities beside the filer's tags, precision/recall/F1, misses and false alarms", async ({ page }, info) => {
  await page.goto('./');
  await page.getByRole('tab', { name: 'Filing' }).click();
  await page.getByLabel('Open an inline-XBRL 10-K or 10-Q').setInputFiles({ name: 'tiny-10q.htm', mimeType: 'text/html', buffer: FIXTURE });
  await expect(page.getByRole('heading', { name: 'Tiny Lending Corp.' })).toBeVisible();
  await page.getByRole('button', { name: /^Run the model/ }).click();
  const score = page.getByTestId('filing-score');
  await expect(score).toBeVisible({ timeout: 60_000 });
  // The Run button went away while it ran: focus is on the score, not lost on <body>.
  await expect(page.getByRole('region', { name: "The model's score on this filing" })).toBeFocused();

  // Per type: filer = support, model = tp + fp, both = tp; totals against the lists.
  const rows = await page.locator('table.filing-metrics tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))),
  );
  expect(rows).toHaveLength(4);
  const sum = (i: number) => rows.reduce((n, r) => n + r[i]!, 0);
  const [filer, model, both] = [sum(0), sum(1), sum(2)];
  expect(filer).toBe(GOLD_ENTITIES);
  await expect(page.locator('[data-findings="misses"] li')).toHaveCount(filer - both);
  await expect(page.locator('[data-findings="false-alarms"] li')).toHaveCount(model - both);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  await expect(score.locator('[data-metric="precision"]')).toHaveText(model === 0 ? '—' : pct(both / model));
  await expect(score.locator('[data-metric="recall"]')).toHaveText(pct(both / filer));
  await expectDashesWhereNothingScored(page);

  // Each sentence shows the filer's tags and, beside them, the model's entities: as many marks as the model found.
  await expect(page.locator('.sentence-list .filer-tags mark.entity')).toHaveCount(GOLD_ENTITIES);
  await expect(page.locator('.sentence-list .model-tags mark.entity')).toHaveCount(model);
  // A listed finding marks characters of its sentence.
  for (const mark of await page.locator('.finding-list mark.entity').all()) expect((await mark.textContent())!.length).toBeGreaterThan(0);
  await page.screenshot({ path: info.outputPath('filing-model.png'), fullPage: true });

  // The fixture without its one spread fact (the words gone too): that type has nothing to score, and says so with dashes.
  const noSpread = FIXTURE.toString('utf8').replace(/ at SOFR plus <ix:nonFraction name="us-gaap:DebtInstrumentBasisSpreadOnVariableRate1"[^>]*>1\.25<\/ix:nonFraction>%/, '');
  expect(noSpread).not.toContain('BasisSpread');
  await page.getByLabel('Open an inline-XBRL 10-K or 10-Q').setInputFiles({ name: 'no-spread.htm', mimeType: 'text/html', buffer: Buffer.from(noSpread) });
  await expect(page.locator('.cover-facts')).toContainText('no-spread.htm');
  await page.getByRole('button', { name: /^Run the model/ }).click();
  await expect(score).toBeVisible({ timeout: 60_000 });
  const spread = page.locator('table.filing-metrics tr[data-type="DebtInstrumentBasisSpreadOnVariableRate1"] td');
  await expect(spread.nth(0)).toHaveText('0');
  await expectDashesWhereNothingScored(page);
  if ((await spread.nth(1).textContent()) === '0') expect(await spread.allTextContents()).toEqual(['0', '0', '0', '—', '—', '—']);
});

/** Per type: precision is a dash when the model found none, recall when the filer tagged none, F1 when neither has any. */
async function expectDashesWhereNothingScored(page: Page): Promise<void> {
  const rows = await page.locator('table.filing-metrics tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!)));
  for (const [filer, model, , precision, recall, f1] of rows) {
    expect(precision === '—').toBe(model === '0');
    expect(recall === '—').toBe(filer === '0');
    expect(f1 === '—').toBe(filer === '0' && model === '0');
  }
}
