import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
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
    await expect(marks.nth(i)).toHaveAttribute('data-tip', new RegExp(`us-gaap:${tag}$`));
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
  await expect(page.locator('.sentence-list mark.tag-4').first()).toHaveAttribute('data-tip', 'Face amount: us-gaap:DebtInstrumentFaceAmount');

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

test('opening a filing puts the focus on its heading, and the filer\'s highlights are keyboard stops with a name', async ({ page }) => {
  await openFiling(page, { name: 'tiny-10q.htm', mimeType: 'text/html', buffer: FIXTURE });
  const heading = page.getByRole('heading', { name: 'Tiny Lending Corp.' });
  await expect(heading).toBeFocused();

  // Coming back to the tab does not take the focus from the tabs again.
  await page.getByRole('tab', { name: 'Dashboard' }).click();
  await page.getByRole('tab', { name: 'Filing' }).click();
  await expect(page.getByRole('tab', { name: 'Filing' })).toBeFocused();

  // From the filter box, Tab reaches the highlights in order, each named by its number and tag, its tooltip shown.
  await page.getByLabel('Filter sentences').focus();
  for (const [text, tag] of TARGET_MARKS.slice(0, 2)) {
    await page.keyboard.press('Tab');
    const focused = page.locator('.sentence-list mark.entity:focus');
    await expect(focused).toHaveText(text);
    await expect(focused).toHaveAccessibleName(new RegExp(`^${text.replace('.', '\\.')} \\(.*us-gaap:${tag}\\)$`));
    const tip = await focused.evaluate((el) => getComputedStyle(el, '::after').content);
    expect(tip).toContain(`us-gaap:${tag}`);
  }

  // A bad file: the focus goes to the message.
  await page.getByLabel('Open an inline-XBRL 10-K or 10-Q').setInputFiles({ name: 'plain.html', mimeType: 'text/html', buffer: Buffer.from('<html><body><p>5%</p></body></html>') });
  await expect(page.getByRole('alert')).toBeFocused();
});

test('at 390 px the filing screen does not scroll sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openFiling(page, { name: 'a-long-file-name-of-a-quarterly-report-2023-03-31.htm', mimeType: 'text/html', buffer: FIXTURE });
  await expect(page.getByRole('heading', { name: 'Tiny Lending Corp.' })).toBeVisible();
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

/** The sample the app ships (public/samples/), and its target facts counted in its own HTML. */
const SAMPLE_DIR = new URL('../public/samples/', import.meta.url);
const SAMPLE_FILE = readdirSync(SAMPLE_DIR).find((f) => f.endsWith('.htm.gz'))!;
const SAMPLE_HTML = gunzipSync(readFileSync(new URL(SAMPLE_FILE, SAMPLE_DIR))).toString('utf8');
const SAMPLE_CIK = /name="dei:EntityCentralIndexKey"[^>]*>\s*(\d+)\s*</.exec(SAMPLE_HTML)![1]!.padStart(10, '0');
const TRAIN_COMPANIES = JSON.parse(readFileSync(new URL('../public/models/finer-lens-small/train-companies.json', import.meta.url), 'utf8')) as {
  companies: { key: string; name: string }[];
};

test('"Open a sample filing" opens the shipped 10-K as if it were picked, and says its company was not in training', async ({ page }, info) => {
  await gotoFiling(page);
  await page.getByRole('button', { name: 'Open a sample filing' }).click();
  const heading = page.locator('#filing-company');
  await expect(heading).toBeFocused({ timeout: 20_000 });
  // A host may send the .gz with Content-Encoding: gzip, so the browser hands over the HTML and the name loses .gz.
  await expect(page.locator('.cover-facts')).toContainText(SAMPLE_FILE.replace(/\.gz$/, ''));
  await expect(page.locator('.cover-facts')).toContainText('10-K');

  // Every target fact of the file is counted (prose + tables + hidden = its ix:nonFraction elements of the tag).
  for (const tag of ['DebtInstrumentFaceAmount', 'DebtInstrumentInterestRateStatedPercentage', 'LineOfCreditFacilityMaximumBorrowingCapacity', 'DebtInstrumentBasisSpreadOnVariableRate1']) {
    const inHtml = SAMPLE_HTML.match(new RegExp(`name="us-gaap:${tag}"`, 'g'))?.length ?? 0;
    await expect(page.locator(`.target-counts tr[data-tag="${tag}"] td[data-place="total"]`)).toHaveText(String(inHtml));
  }
  expect(await page.locator('.sentence-list mark.entity').count()).toBeGreaterThan(3);

  // Its company is not among the model's train companies, and the page says so.
  expect(TRAIN_COMPANIES.companies.map((c) => c.key)).not.toContain(`cik:${SAMPLE_CIK}`);
  await expect(page.getByTestId('seen-in-training')).toHaveAttribute('data-seen', 'no');
  await expect(page.getByTestId('seen-in-training')).toContainText('not a train-split company');
  await page.screenshot({ path: info.outputPath('filing-sample.png'), fullPage: false });
});

test("seen in training: a listed company's filing says so; a model folder without the list says nothing", async ({ page }) => {
  const fixtureCik = /name="dei:EntityCentralIndexKey"[^>]*>\s*(\d+)\s*</.exec(FIXTURE.toString('utf8'))![1]!;
  await page.route('**/models/finer-lens-small/train-companies.json', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ schema: 1, dataset: 'data/test', companies: [{ key: `cik:${fixtureCik}`, cik: fixtureCik, name: 'TINY LENDING CORP.', filings: 2 }] }),
    }),
  );
  await openFiling(page, { name: 'tiny-10q.htm', mimeType: 'text/html', buffer: FIXTURE });
  await expect(page.getByTestId('seen-in-training')).toHaveAttribute('data-seen', 'yes');
  await expect(page.getByTestId('seen-in-training')).toContainText('Yes, a train-split company (2 filings)');

  await page.unroute('**/models/finer-lens-small/train-companies.json');
  await page.route('**/models/finer-lens-small/train-companies.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.reload();
  await openFiling(page, { name: 'tiny-10q.htm', mimeType: 'text/html', buffer: FIXTURE });
  await expect(page.getByRole('heading', { name: 'Tiny Lending Corp.' })).toBeVisible();
  await expect(page.locator('.cover-facts')).toContainText('Numeric facts');
  await expect(page.getByTestId('seen-in-training')).toHaveCount(0);
});

test('a sample filing the host cannot serve: a message saying so, with the focus', async ({ page }) => {
  await page.route('**/samples/**', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await gotoFiling(page);
  await page.getByRole('button', { name: 'Open a sample filing' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not open the sample filing.');
  await expect(alert).toContainText(`samples/${SAMPLE_FILE}: HTTP 404`);
  await expect(alert).toBeFocused();
  await expect(page.getByRole('button', { name: 'Open a sample filing' })).toBeEnabled();
});
