// The browser and the helpers every test uses: Debian's chromium driven by playwright-core
// (never a downloaded browser), one context per person, a numbered screenshot per step, and
// an axe check of every page a step shows.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { chromium } from 'playwright-core';
import { axeViolations } from './accessibility.mjs';

/** Where the stack answers; scripts/e2e.sh sets it (a stack it started, or E2E_BASE_URL). */
export const BASE = (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const EXECUTABLE = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = process.env.E2E_SCREENSHOTS ?? fileURLToPath(new URL('../screenshots', import.meta.url));
/** How long one action or wait may take (ms). */
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 15000);

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A word unique to this run, for emails and usernames. */
export const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;

/** Starts the browser; this test's screenshots go to screenshots/<folder>/. */
export async function launch(folder) {
  const shots = path.join(SHOTS, folder);
  await mkdir(shots, { recursive: true });
  const browser = await chromium.launch({ executablePath: EXECUTABLE, headless: true, args: FLAGS });
  return new Session(browser, shots);
}

/** One browser, the people using it, and the problems their pages reported. */
class Session {
  constructor(browser, shots) {
    this.browser = browser;
    this.shotsDir = shots;
    this.people = [];
    this.problems = [];
    /** Serious or critical accessibility violations, with the step and page they were on. */
    this.violations = [];
    this.shots = 0;
  }

  /** A person in a browser context of their own (own cookies and storage). */
  async person(name, viewport = { width: 1280, height: 900 }) {
    const context = await this.browser.newContext({ viewport, baseURL: BASE });
    context.setDefaultTimeout(TIMEOUT);
    context.setDefaultNavigationTimeout(TIMEOUT);
    const page = await context.newPage();
    // Uncaught exceptions, and anything the Content-Security-Policy refused, are failures.
    page.on('pageerror', (e) => this.problems.push(`${name}: uncaught ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) {
        this.problems.push(`${name}: ${m.text()}`);
      }
    });
    const person = {
      name,
      page,
      context,
      email: `${name}-${RUN}@example.com`,
      username: `${name}${RUN}`,
      password: `${name} likes long passphrases ${RUN}`,
    };
    this.people.push(person);
    return person;
  }

  /** Saves screenshots/<folder>/<nn>-<step>-<person>.png for each person given, and checks each of
   * their pages with axe (see `violations`). */
  async shot(step, ...people) {
    this.shots += 1;
    const n = String(this.shots).padStart(2, '0');
    for (const p of people) {
      await p.page.screenshot({ path: path.join(this.shotsDir, `${n}-${step}-${p.name}.png`), fullPage: true });
      await this.checkAccessibility(step, p);
    }
  }

  /** Runs axe on the person's page as it is now; what it finds is kept in `violations`. */
  async checkAccessibility(step, { name, page }) {
    const where = `${step} (${name}, ${new URL(page.url()).pathname})`;
    for (const v of await axeViolations(page)) this.violations.push(`${where}: ${v}`);
  }

  /** After a failed step: what every person's page looked like. */
  async shotFailure(step) {
    for (const p of this.people) {
      await p.page
        .screenshot({ path: path.join(this.shotsDir, `failed-${step}-${p.name}.png`), fullPage: true })
        .catch(() => {});
    }
  }

  async close() {
    await this.browser.close();
  }
}

/**
 * The `step` a test declares its steps with: a node:test `it` that, when it fails, saves every
 * page's screenshot (`failed-<step>-<person>.png`) before the error is reported. `session`
 * returns the test's session (made in its `before`).
 */
export function stepper(session) {
  return (name, fn) =>
    it(name, async () => {
      try {
        await fn();
      } catch (e) {
        await session()?.shotFailure(name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60));
        throw e;
      }
    });
}
