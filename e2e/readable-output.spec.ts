import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';

/**
 * Reading the Tag text screen's output (issue 19 items 2 and 3): the
 * confidence slider, the context check, per-type show/hide, inline labels,
 * tooltips inside the window, a table row leading to its highlight, and where
 * focus goes after a run. On the shipped model folder; the assertions hold for
 * any model that finds entities in the four example paragraphs, but for the
 * context check's, which need its verifier.json to refuse a number outside
 * debt terms.
 */

test.describe.configure({ timeout: 120_000 }); // each test loads the model in a fresh worker

const MODEL_THRESHOLDS: Record<string, number> = JSON.parse(
  readFileSync(new URL('../public/models/finer-lens-small/thresholds.json', import.meta.url), 'utf8'),
).thresholds;

interface Mark {
  start: number;
  label: string;
  score: number;
}

const marks = (page: Page) => page.locator('[data-testid="tagged-text"] mark.entity');

async function shownMarks(page: Page): Promise<Mark[]> {
  return marks(page).evaluateAll((ms) =>
    ms.map((m) => ({ start: Number(m.getAttribute('data-start')), label: m.getAttribute('data-label')!, score: Number(m.getAttribute('data-score')) })),
  );
}

async function rowStarts(page: Page): Promise<number[]> {
  return page.locator('table.entity-table tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-start'))));
}

/** The four example paragraphs, one after another. */
async function examplesText(page: Page): Promise<string> {
  const texts: string[] = [];
  for (const button of await page.locator('.example-picker button').all()) {
    await button.click();
    texts.push(await page.locator('#tag-text').inputValue());
  }
  return texts.join('\n\n');
}

/** Tag `text` (the examples when undefined) with ONNX int8 and wait for the results (highlights in the part shown, unless `marked` is false). */
async function tag(page: Page, text?: string, marked = true): Promise<string> {
  await page.goto('./');
  const value = text ?? (await examplesText(page));
  await page.locator('#tag-text').fill(value);
  await page.getByRole('button', { name: 'Tag', exact: true }).click();
  await expect(page.locator('.backend-summary')).toBeVisible({ timeout: 60_000 });
  if (marked) expect((await shownMarks(page)).length, 'the model finds entities in the examples').toBeGreaterThan(0);
  return value;
}

/** "3 of 12 entities hidden below the thresholds" -> { hidden: 3, total: 12 }. */
async function hiddenCount(page: Page): Promise<{ hidden: number; total: number }> {
  const text = await page.getByTestId('hidden-count').textContent();
  const m = /^(\d+) of (\d+) entit(?:y|ies) hidden below the thresholds$/.exec(text ?? '');
  expect(m, `hidden count: ${text}`).not.toBeNull();
  return { hidden: Number(m![1]), total: Number(m![2]) };
}

/** "3 entities hidden by the context check" -> 3; 0 without the checkbox (a model folder without verifier.json) or while it is unchecked. */
async function contextHidden(page: Page): Promise<number> {
  const box = page.getByRole('checkbox', { name: 'Context check' });
  if ((await box.count()) === 0 || !(await box.isChecked())) return 0;
  const text = await page.getByTestId('context-hidden-count').textContent();
  const m = /^(\d+) entit(?:y|ies) hidden by the context check$/.exec(text ?? '');
  expect(m, `context check count: ${text}`).not.toBeNull();
  return Number(m![1]);
}

/** Every mark shown passes its type's model threshold moved by `offset`; the table lists the same entities. */
async function expectShownAt(page: Page, offset: number): Promise<Mark[]> {
  const shown = await shownMarks(page);
  for (const m of shown) expect(m.score, `${m.label} at ${m.start}`).toBeGreaterThanOrEqual(Math.min(1, Math.max(0, (MODEL_THRESHOLDS[m.label] ?? 0) + offset)) - 1e-9);
  expect(await rowStarts(page)).toEqual(shown.map((m) => m.start));
  const { hidden, total } = await hiddenCount(page);
  expect(shown.length).toBe(total - hidden - (await contextHidden(page)));
  return shown;
}

test('the confidence slider moves every type\'s threshold: highlights and table follow live, with the count it hides; Reset is the model\'s thresholds', async ({ page }) => {
  await tag(page);
  const slider = page.getByRole('slider', { name: 'Confidence' });
  await expect(slider).toHaveValue('0');
  const atModel = await expectShownAt(page, 0);
  const model = await hiddenCount(page);

  await slider.focus();
  await page.keyboard.press('End'); // +0.50: stricter
  await expect(slider).toHaveValue('50');
  await expect(slider).toHaveAttribute('aria-valuetext', /^\+0\.50 on the model's thresholds: \d+ of \d+ entit(y|ies) hidden below the thresholds$/);
  const strict = await hiddenCount(page);
  expect(strict.total).toBe(model.total);
  expect(strict.hidden, 'no entity of the examples scores 0.5 above its threshold').toBeGreaterThan(model.hidden);
  await expectShownAt(page, 0.5);

  await page.keyboard.press('Home'); // -0.50: looser
  await expect(slider).toHaveValue('-50');
  const loose = await hiddenCount(page);
  expect(loose.hidden).toBeLessThanOrEqual(model.hidden);
  const looser = await expectShownAt(page, -0.5);
  for (const m of atModel) expect(looser.map((x) => x.start)).toContain(m.start);

  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(slider).toHaveValue('0');
  expect(await shownMarks(page)).toEqual(atModel);
  expect(await hiddenCount(page)).toEqual(model);

  // Compare compares what is shown: both backends' entities through the same moved thresholds.
  await slider.focus();
  await page.keyboard.press('End');
  await page.getByRole('button', { name: 'Compare both backends' }).click();
  await expect(page.getByTestId('agreement')).toBeVisible({ timeout: 100_000 });
  await expect(slider).toHaveValue('50'); // the setting stays for the next run
  const shown = await expectShownAt(page, 0.5);
  const agreement = (await page.getByTestId('agreement').textContent())!;
  const onnxCount = Number(/found the same (\d+) entit|ONNX found (\d+)/.exec(agreement)?.slice(1).find((x) => x !== undefined));
  expect(onnxCount, agreement).toBe(shown.length);
});

test('the context check hides the numbers outside debt terms, with how many; unchecked, they are shown, each saying why', async ({ page }) => {
  // The shipped model finds a rate in each sentence; the check refuses the prior year's margin (the shipped verifier.json),
  // and its rules the rate change and the covenant ratio the model reads as spreads.
  const debt = 'The Notes bear interest at 5.25% per annum and mature in 2030.';
  const ratio = 'The interest rate margin would increase by 0.50% if the leverage ratio exceeds 3.50 to 1.00.';
  const text = `${debt} Operating margin increased to 18.5% from 16.0%. See page 47. ${ratio}`;
  await tag(page, text);
  const box = page.getByRole('checkbox', { name: 'Context check' });
  await expect(box).toBeChecked();
  await expect(box).toHaveAccessibleDescription(/hidden by the context check \(numbers outside debt terms/);
  const refused = await contextHidden(page);
  expect(refused, 'the check refuses a number of the margin sentence').toBeGreaterThan(0);
  const on = await expectShownAt(page, 0);
  expect(on.map((m) => m.start)).toContain(debt.indexOf('5.25'));

  await box.uncheck();
  await expect(page.getByTestId('context-hidden-count')).toHaveText(`${refused} entit${refused === 1 ? 'y' : 'ies'} it would hide`);
  const off = await expectShownAt(page, 0);
  expect(off.length).toBe(on.length + refused);
  const more = off.filter((m) => !on.some((o) => o.start === m.start));
  expect(more).toHaveLength(refused);
  for (const m of more) expect(m.start, 'a refused entity is outside the debt sentence').toBeGreaterThan(debt.length);
  const mark = (start: number) => page.locator(`[data-testid="tagged-text"] mark.entity[data-start="${start}"]`);
  const ruled = { '0.50': 'a change of a rate', '3.50': 'a covenant ratio', '1.00': 'a covenant ratio' };
  for (const [number, why] of Object.entries(ruled)) {
    const start = text.lastIndexOf(number);
    expect(more.map((m) => m.start), number).toContain(start);
    await expect(mark(start)).toHaveAccessibleName(new RegExp(` · the context check: ${why}$`));
  }
  for (const m of more.filter((x) => x.start < text.indexOf(ratio))) await expect(mark(m.start)).toHaveAccessibleName(/ · the context check: 0\.\d\d in this context$/);
  await page.screenshot({ path: test.info().outputPath('context-check-off.png') });

  await box.check();
  expect(await shownMarks(page)).toEqual(on);
  expect(await contextHidden(page)).toBe(refused);
});

test('a type unchecked in the legend leaves the text and the table, and comes back; each type has its definition', async ({ page }) => {
  await tag(page);
  const all = await shownMarks(page);
  const label = all[0]!.label;
  const legend = page.getByRole('group', { name: 'Entity types shown' });
  const boxes = legend.getByRole('checkbox');
  await expect(boxes).toHaveCount(4);
  for (const box of await boxes.all()) {
    await expect(box).toBeChecked();
    await expect(box).toHaveAccessibleDescription(/\w{4,}.*;/); // what the type is, and is not
  }
  const name = await page.locator('table.entity-table tbody tr').first().locator('td.entity-type').textContent();
  const box = legend.getByRole('checkbox', { name: name!.trim(), exact: true });

  await box.uncheck();
  const rest = all.filter((m) => m.label !== label);
  expect(await shownMarks(page)).toEqual(rest);
  expect(await rowStarts(page)).toEqual(rest.map((m) => m.start));
  await expect(page.getByTestId('hidden-types-count')).toHaveText(`${all.length - rest.length} more of the types not shown.`);

  await box.check();
  expect(await shownMarks(page)).toEqual(all);
  await expect(page.getByTestId('hidden-types-count')).toHaveCount(0);
});

test('inline labels: the type\'s short label beside each highlight, not part of its text', async ({ page }) => {
  await tag(page);
  const first = marks(page).first();
  const text = await first.textContent();
  const after = () => first.evaluate((m) => getComputedStyle(m, '::after').content);
  expect(await after()).toBe('none');
  const width = (await first.boundingBox())!.width;

  await page.getByRole('checkbox', { name: 'Show type labels in the text' }).check();
  const abbr = await first.getAttribute('data-abbr');
  expect(['RATE', 'LINE MAX', 'SPREAD', 'FACE']).toContain(abbr);
  expect(await after()).toContain(`"${abbr}"`);
  expect((await first.boundingBox())!.width).toBeGreaterThan(width);
  expect(await first.textContent()).toBe(text);
  await page.screenshot({ path: test.info().outputPath('inline-labels.png') });

  await page.getByRole('checkbox', { name: 'Show type labels in the text' }).uncheck();
  expect(await after()).toBe('none');
});

/** The tooltip of `mark` on keyboard focus and on hover: all of it inside the window, and on top. */
async function expectTooltipInside(page: Page, mark: Locator, name: string) {
  const viewport = page.viewportSize()!;
  const tip = page.getByTestId('entity-tip');
  for (const how of ['focus', 'hover'] as const) {
    if (how === 'focus') await mark.focus();
    else {
      await page.locator('h3#highlighted-heading').focus(); // no focus tooltip
      await mark.hover();
    }
    await expect(tip, `${name}, ${how}`).toBeVisible();
    await expect(tip).toContainText(/score \d\.\d{3}/);
    const box = (await tip.boundingBox())!;
    expect(box.x, `${name}, ${how}: left edge`).toBeGreaterThanOrEqual(0);
    expect(box.y, `${name}, ${how}: top edge`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${name}, ${how}: right edge`).toBeLessThanOrEqual(viewport.width);
    expect(box.y + box.height, `${name}, ${how}: bottom edge`).toBeLessThanOrEqual(viewport.height);
    // Painted, not clipped: each corner of the box is the tooltip's.
    const corners = await tip.evaluate((el) => {
      el.style.pointerEvents = 'auto'; // hit testing skips an element the pointer passes through
      const r = el.getBoundingClientRect();
      return [
        [r.left + 2, r.top + 2],
        [r.right - 2, r.top + 2],
        [r.left + 2, r.bottom - 2],
        [r.right - 2, r.bottom - 2],
      ].map(([x, y]) => document.elementsFromPoint(x!, y!)[0] === el);
    });
    expect(corners, `${name}, ${how}: corners on top`).toEqual([true, true, true, true]);
  }
  await page.mouse.move(0, 0);
}

for (const size of [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
]) {
  test(`tooltips stay inside the window at ${size.width} px: a highlight at the right edge and one on the last line of its block`, async ({ page }) => {
    await page.setViewportSize(size);
    // The last line ends on a number (the text's last block, its last line).
    const text = `${await (async () => {
      await page.goto('./');
      return examplesText(page);
    })()}\n\nThe notes bear interest at 5.25%`;
    await tag(page, text);
    const rightmost = await marks(page).evaluateAll((ms) => {
      const right = (m: Element) => Math.max(...[...m.getClientRects()].map((r) => r.right));
      return ms.indexOf(ms.reduce((a, b) => (right(b) > right(a) ? b : a)));
    });
    await expectTooltipInside(page, marks(page).nth(rightmost), 'rightmost highlight');
    const last = marks(page).last();
    const onLastLine = await last.evaluate((m) => {
      const block = [...document.querySelectorAll('.tagged-block')].at(-1)!;
      return block.contains(m) && block.getBoundingClientRect().bottom - m.getBoundingClientRect().bottom < m.getBoundingClientRect().height;
    });
    expect(onLastLine, 'the last highlight is on the last line of the last block').toBe(true);
    await expectTooltipInside(page, last, 'last highlight');
    await page.screenshot({ path: test.info().outputPath(`tooltip-${size.width}.png`) });
  });
}

test('a click on a table row scrolls to its highlight and focuses it, past the part of the text shown at first', async ({ page }) => {
  // 25,000 characters without numbers first: the entities are past the 20,000 shown at first.
  const filler = 'This line of the annual report holds no numbers at all.\n'.repeat(450);
  await page.goto('./');
  const text = filler + (await examplesText(page));
  await tag(page, text, false);
  await expect(page.getByRole('button', { name: 'Show more of the text' })).toBeVisible();
  await expect(marks(page)).toHaveCount(0);

  const row = page.locator('table.entity-table tbody tr').last();
  const start = Number(await row.getAttribute('data-start'));
  const name = (await row.locator('td.entity-type').textContent())!.trim();
  await row.getByRole('button').click();
  const mark = page.locator(`[data-testid="tagged-text"] mark.entity[data-start="${start}"]`);
  await expect(mark).toBeFocused();
  await expect(mark).toBeInViewport();
  await expect(mark).toHaveAccessibleName(new RegExp(`: ${name} · score \\d\\.\\d{3}`));
  await expect(page.getByTestId('entity-tip')).toBeVisible();

  // Moving the slider afterwards leaves focus on the slider.
  const slider = page.getByRole('slider', { name: 'Confidence' });
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(slider).toHaveValue('-50');
  await expect(slider).toBeFocused();
});

test('focus after Tag and after Compare is on the results, not on <body>; typing in the text area during a run keeps it there', async ({ page }) => {
  await page.goto('./');
  await page.locator('#tag-text').fill(await examplesText(page));
  const results = page.getByRole('region', { name: 'Tagging results' });

  await page.getByRole('button', { name: 'Tag', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.backend-summary')).toBeVisible({ timeout: 60_000 });
  await expect(results).toBeFocused();
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(false);

  await page.getByRole('button', { name: 'Compare both backends' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('agreement')).toBeVisible({ timeout: 100_000 });
  await expect(results).toBeFocused();

  // The user is typing while the model runs (Tag clicked without moving focus): focus stays where they type.
  await page.locator('#tag-text').focus();
  await page.getByRole('button', { name: 'Tag', exact: true }).dispatchEvent('click');
  await page.keyboard.type(' More text.');
  await expect(page.locator('.backend-summary')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('#tag-text')).toBeFocused();
});
