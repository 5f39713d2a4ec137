// Every page, as a visitor, a user and an admin see it, at laptop and phone size: each is
// checked with axe (no serious or critical violation), and a person with only a keyboard can
// skip to the content and log in. Screenshots go to e2e/screenshots/pages/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BASE, launch } from '../lib/browser.mjs';
import { expectSignedIn, signUp } from '../lib/peerprep.mjs';

const LAPTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

describe('every page passes axe and works by keyboard', { concurrency: 1 }, () => {
  let session;
  let laptop;
  let phone;
  let slug;

  const step = (name, fn) =>
    it(name, async () => {
      try {
        await fn();
      } catch (e) {
        await session?.shotFailure(name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60));
        throw e;
      }
    });

  /** Opens the path for both sizes, waits for its heading, then screenshots and checks it. */
  async function visit(path, heading, name) {
    for (const person of [laptop, phone]) {
      await person.page.goto(path);
      await person.page.getByRole('heading', { level: 1, name: heading }).waitFor();
    }
    await session.shot(name, laptop, phone);
  }

  before(async () => {
    session = await launch('pages');
    laptop = await session.person('laptop', LAPTOP);
    phone = await session.person('phone', PHONE);
    const response = await fetch(`${BASE}/question-service-api/questions?per_page=1`);
    assert.equal(response.status, 200);
    const first = (await response.json()).items[0];
    assert.ok(first, 'the question bank is empty: is it seeded?');
    slug = first.slug;
  });

  after(async () => {
    await session?.close();
  });

  step("a visitor's pages", async () => {
    await visit('/login', 'Log in', 'login');
    await visit('/signup', 'Create your account', 'signup');
    await visit('/questions', 'Question bank', 'questions');
    await visit(`/questions/${slug}`, /./, 'question');
    await visit('/no-such-page', /not found/i, 'not-found');
  });

  step('with only a keyboard: skip to the content, then log in', async () => {
    // The laptop person's account, made through the API; the phone person signs up by form.
    const { page } = laptop;
    const signup = await fetch(`${BASE}/user-service-api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: laptop.email, username: laptop.username, password: laptop.password }),
    });
    assert.equal(signup.status, 201, await signup.text());
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Log in', exact: true }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), await labelled(page, 'Email'));
    await page.keyboard.type(laptop.email);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), await labelled(page, 'Password'));
    await page.keyboard.type(laptop.password);
    await page.keyboard.press('Enter');
    await expectSignedIn(laptop);
    // A navigation moves the focus to the new page's content.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Questions' }).press('Enter');
    await page.getByRole('heading', { name: 'Question bank' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await signUp(phone);
  });

  step("a signed-in user's pages", async () => {
    await visit('/', 'Practise with a peer', 'home');
    await visit('/profile', 'Your profile', 'profile');
    await visit('/history', /history/i, 'history');
    await visit('/questions', 'Question bank', 'questions-signed-in');
    // Admin pages tell a user they are for admins.
    await visit('/admin/questions', 'Admins only', 'admins-only');
  });

  step('axe found no serious or critical accessibility violation on any page', async () => {
    assert.deepEqual(session.violations, []);
  });

  step('no page threw an uncaught error or broke the Content-Security-Policy', async () => {
    assert.deepEqual(session.problems, []);
  });
});

/** The id of the control a label names. */
async function labelled(page, label) {
  return page.getByLabel(label, { exact: true }).getAttribute('id');
}
