import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureChromium } from '../../stack/chromium';

/** Debian's chromium, headless, driven by playwright-core through its path. */
export async function openBrowser(): Promise<Browser> {
  const executablePath = await ensureChromium();
  // As root, Chromium's sandbox cannot start; the pages it opens are our own portal on loopback.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Signs in through the portal's own form with a read token, as a person would. */
export async function signIn(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('Read token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('combobox').waitFor();
}
