import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';

const FIXTURE = readFileSync(new URL('./fixtures/tiny-10q.htm', import.meta.url));

interface FilePayload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** The app opens on "Tag text": go to the Filing tab. */
async function gotoFiling(page: Page): Promise<void> {
  await page.goto('./');
  await page.getByRole('tab', { name: 'Filing' }).click();
}

async function openFiling(page: Page, file: FilePayload): Promise<void> {
  await gotoFiling(page);
  await page.getByLabel('Open an inline-XBRL 10-K or 10-Q').setInputFiles(file);
}

/** The four target-tag prose facts of the fixture, in document order: [exact text, XBRL tag]. */
const TARGET_MARKS = [
  ['500.0', 'DebtInstrumentFaceAmount'],
  ['4.25', 'DebtInstrumentInterestRateStatedPercentage'],
  ['1.5', 'LineOfCreditFacilityMaximumBorrowingCapacity'],
  ['1.25', 'DebtInstrumentBasisSpreadOnVariableRate1'],
  ['two hundred', 'DebtInstrumentFaceAmount'],
];

async function expectFixtureShown(page: Page, fileName: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Tiny Lending Corp.' })).toBeVisible();
  await expect(page.locator('.cover-facts')).toContainText(fileName);
  await expect(page.locator('.cover-facts')).toContainText('10-Q');
  await expect(page.locator('.cover-facts')).toContainText('March 31, 2023');

  const marks = page.locator('.sentence-list mark.entity');
  await expect(marks).toHaveCount(TARGET_MARKS.length);
  expect(await marks.allTextContents()).toEqual(TARGET_MARKS.map(([text]) => text));
  for (const [i, [, tag]] of TARGET_MARKS.entries()) {
    await expect(marks.nth(i)).toHaveAttribute('data-tag', tag);
    await expect(marks.nth(i)).toHaveAttribute('title', new RegExp(`us-gaap:${tag}$`));
  }
}

test('an .htm filing: target facts highlighted on the exact characters, table facts counted only', async ({ page }, info) => {
  await openFiling(page, { name: 'tiny-10q.htm', mimeType: 'text/html', buffer: FIXTURE });
  await expectFixtureShown(page, 'tiny-10q.htm');

  // Exactly the characters of the fact: "$" and "million" / "%" stay outside the highlight.
  const first = page.locator('.sentence-list li').first().locator('p.sentence');
  const pieces = await first.evaluate((p) =>
    [...p.childNodes].map((n) => (n.nodeType === Node.TEXT_NODE ? `text:${n.textContent}` : `mark:${n.textContent}`)),
  );
  expect(pieces).toEqual([
    'text:On February 1, 2023, the Company issued $',
    'mark:500.0',
    'text: million aggregate principal amount of senior notes that bear interest at ',
    'mark:4.25',
    'text:% per annum.',
  ]);
  await expect(page.locator('.sentence-list mark.tag-4').first()).toHaveAttribute('title', 'Face amount: us-gaap:DebtInstrumentFaceAmount');

  // Counts by place: table and hidden facts are counted ...
  const row = (tag: string) => page.locator(`.target-counts tr[data-tag="${tag}"]`);
  const cells = async (tag: string) => row(tag).locator('td').allTextContents();
  expect(await cells('DebtInstrumentFaceAmount')).toEqual(['2', '1', '1', '4']);
  expect(await cells('DebtInstrumentInterestRateStatedPercentage')).toEqual(['1', '1', '0', '2']);
  expect(await cells('LineOfCreditFacilityMaximumBorrowingCapacity')).toEqual(['1', '0', '0', '1']);
  expect(await cells('DebtInstrumentBasisSpreadOnVariableRate1')).toEqual(['1', '0', '0', '1']);
  // ... but never shown as prose.
  const list = page.locator('.sentence-list');
  await expect(list).not.toContainText('750');
  await expect(list).not.toContainText('5.00');
  await expect(list).not.toContainText('900');
  await expect(page.locator('.sentence-list li')).toHaveCount(3);

  await page.screenshot({ path: info.outputPath('filing.png'), fullPage: true });

  // All FiNER-139 tags: the goodwill sentence joins, its fact in the neutral colour.
  await page.getByLabel('any FiNER-139 tag').check();
  await expect(page.locator('.sentence-list li')).toHaveCount(4);
  const goodwill = page.locator('.sentence-list mark[data-tag="Goodwill"]');
  await expect(goodwill).toHaveText('12.3');
  await expect(goodwill).toHaveClass(/tag-0/);

  // The filter box narrows the list.
  await page.getByLabel('Filter sentences').fill('sofr');
  await expect(page.locator('.sentence-list li')).toHaveCount(1);
  await expect(page.locator('.sentence-list li')).toContainText('SOFR plus 1.25%');
});

test('a gzipped filing (.htm.gz) gives the same view', async ({ page }) => {
  await openFiling(page, { name: 'tiny-10q.htm.gz', mimeType: 'application/gzip', buffer: gzipSync(FIXTURE) });
  await expectFixtureShown(page, 'tiny-10q.htm.gz');
});

test('a filing dropped on the page opens', async ({ page }) => {
  await gotoFiling(page);
  const html = FIXTURE.toString('utf8');
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped-10q.htm', { type: 'text/html' }));
    return dt;
  }, html);
  await page.locator('.file-opener').dispatchEvent('drop', { dataTransfer });
  await expectFixtureShown(page, 'dropped-10q.htm');
});

test('bad files: a clear message naming the file and what was expected', async ({ page }, info) => {
  const gz = gzipSync(FIXTURE);
  const corrupt = Buffer.from(gz);
  corrupt.fill(0x55, 20, 200); // keep the gzip magic, garble the deflate stream
  await openFiling(page, { name: 'broken.htm.gz', mimeType: 'application/gzip', buffer: corrupt });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('broken.htm.gz could not be decompressed');
  await expect(alert).toContainText('expected an inline-XBRL 10-K/10-Q filing');
  await page.screenshot({ path: info.outputPath('filing-error.png') });

  await page.getByLabel('Open an inline-XBRL 10-K or 10-Q').setInputFiles({
    name: 'report.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n'),
  });
  await expect(alert).toContainText('report.pdf does not look like HTML');

  await page.getByLabel('Open an inline-XBRL 10-K or 10-Q').setInputFiles({
    name: 'plain.html',
    mimeType: 'text/html',
    buffer: Buffer.from('<html><body><p>Interest at 5% per annum.</p></body></html>'),
  });
  await expect(alert).toContainText('plain.html has no inline-XBRL (ix:) elements');

  // The page still works after errors.
  await page.getByLabel('Open an inline-XBRL 10-K or 10-Q').setInputFiles({ name: 'tiny-10q.htm', mimeType: 'text/html', buffer: FIXTURE });
  await expectFixtureShown(page, 'tiny-10q.htm');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('tabs switch with the keyboard', async ({ page }) => {
  await page.goto('./');
  const tagTab = page.getByRole('tab', { name: 'Tag text' });
  await expect(tagTab).toHaveAttribute('aria-selected', 'true');
  await tagTab.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Filing' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Filing' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Dashboard' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Dashboard' })).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Entity distribution' })).toBeVisible();
});
