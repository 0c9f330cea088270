import { expect, test } from '@playwright/test';
import { META_CONTENT_SECURITY_POLICY } from '../vite.config.ts';

/**
 * The built app on a static host that sends no Content-Security-Policy
 * header: the page's own <meta> policy still holds (an injected inline
 * script is refused), and the model still loads and tags (WebAssembly,
 * workers) under it.
 */

test.describe.configure({ timeout: 90_000 });

test('without the CSP header, the meta in the built page refuses an inline script, and tagging still works', async ({ page }) => {
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['content-security-policy'];
    await route.fulfill({ response, headers });
  });
  const cspMessages: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspMessages.push(m.text());
  });

  const response = await page.goto('./');
  expect(response!.headers()['content-security-policy']).toBeUndefined();
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', META_CONTENT_SECURITY_POLICY);

  await page.locator('#tag-text').fill('The notes bear interest at 5.25% per annum and the facility provides up to $500 million.');
  await page.getByRole('button', { name: 'Tag', exact: true }).click();
  await expect(page.locator('.backend-summary')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('provider')).toHaveText(/^WASM, \d+ threads?$/);
  expect(cspMessages).toEqual([]); // the app's own scripts, workers and WebAssembly are allowed

  const violated = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true });
        const script = document.createElement('script');
        script.textContent = 'window.__ran = true';
        document.head.append(script);
        setTimeout(() => resolve('none'), 2_000);
      }),
  );
  expect(violated).toBe('script-src-elem');
  expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();
});
