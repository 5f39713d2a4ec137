// Every page, as a visitor, a user and an admin see it, at laptop and phone size: each is
// checked with axe (no serious or critical violation), and a person with only a keyboard can
// skip to the content and log in. Screenshots go to e2e/screenshots/pages/.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { BASE, RUN, launch, stepper } from '../lib/browser.mjs';
import { expectSentence, expectSignedIn, fillLogIn, signUp } from '../lib/peerprep.mjs';

/** The development admin `make up` seeds (a stack with other credentials sets these). */
const ADMIN_EMAIL = process.env.E2E_ADMIN_EMAIL ?? 'admin@peerprep.local';
const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? 'peerprep-dev-password';

const LAPTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

describe('every page passes axe and works by keyboard', { concurrency: 1 }, () => {
  let session;
  let laptop;
  let phone;
  let admin;
  let slug;

  const step = stepper(() => session);

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

  step('an admin creates a question with a Markdown preview, edits it, and deletes it', async () => {
    admin = await session.person('admin');
    const { page } = admin;
    await fillLogIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Practise with a peer' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Manage questions' }).waitFor();
    await session.shot('admin-questions', admin);

    const title = `Pairs summing to zero ${RUN}`;
    await page.getByRole('link', { name: 'New question' }).click();
    await page.getByRole('heading', { level: 1, name: 'New question' }).waitFor();
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByLabel('Difficulty', { exact: true }).selectOption('easy');
    await page.getByLabel('Topics', { exact: true }).fill('arrays, hash-table');
    await page.getByLabel('Description (Markdown)').fill('Count the **pairs** that sum to `0`.');
    // The preview renders the Markdown as the question page will.
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.locator('strong', { hasText: 'pairs' }).waitFor();
    await preview.locator('code', { hasText: '0' }).waitFor();
    await page.getByLabel('Input', { exact: true }).fill('[1, -1, 2]');
    await page.getByLabel('Output', { exact: true }).fill('1');
    await session.shot('admin-new-question', admin);
    await page.getByRole('button', { name: 'Create question' }).click();
    await page.getByText(`Created “${title}”.`).waitFor();
    const created = await (await fetch(`${BASE}/question-service-api/questions?q=${encodeURIComponent(RUN)}`)).json();
    assert.equal(created.total, 1, 'the new question is not in the bank');
    assert.equal(created.items[0].title, title);

    // The same title again (in capitals) is refused beside the field, and nothing is created.
    await page.getByRole('link', { name: 'New question' }).click();
    await page.getByLabel('Title', { exact: true }).fill(title.toUpperCase());
    await page.getByLabel('Topics', { exact: true }).fill('arrays');
    await page.getByLabel('Description (Markdown)').fill('Again.');
    await page.getByLabel('Input', { exact: true }).fill('1');
    await page.getByLabel('Output', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Create question' }).click();
    expectSentence((await page.getByRole('alert').first().innerText()).trim());
    const titleField = page.getByLabel('Title', { exact: true });
    assert.equal(await titleField.getAttribute('aria-invalid'), 'true');
    // Its title, or the address made from it, is taken: the field says which.
    assert.match(await describedBy(page, titleField), /^Another question (already has this title|has a title that makes the same slug)/m);
    await session.shot('admin-title-taken', admin);
    const still = await (await fetch(`${BASE}/question-service-api/questions?q=${encodeURIComponent(RUN)}`)).json();
    assert.equal(still.total, 1, 'a second question with the same title was created');

    await page.goto('/admin/questions?q=' + RUN);
    await page.getByRole('link', { name: `Edit ${title}` }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit question' }).waitFor();
    await page.getByLabel('Difficulty', { exact: true }).selectOption('medium');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(`Saved “${title}”.`).waitFor();
    const edited = await (await fetch(`${BASE}/question-service-api/questions/${created.items[0].id}`)).json();
    assert.equal(edited.difficulty, 'medium');

    await page.goto('/admin/questions?q=' + RUN);
    await page.getByRole('button', { name: `Delete ${title}` }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText(`Deleted “${title}”.`).waitFor();
    const gone = await fetch(`${BASE}/question-service-api/questions/${created.items[0].id}`);
    assert.equal(gone.status, 404);
  });

  step('an admin makes a user an admin, who then sees the admin pages, and back', async () => {
    const { page } = admin;
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Manage users' }).waitFor();
    await page.getByLabel('Search by username or email').fill(phone.username);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: `Make admin (${phone.username})` }).click();
    await page.getByText(`${phone.username} is now an admin.`).waitFor();
    await session.shot('admin-users', admin);
    // The phone person now sees the admin pages.
    await phone.page.goto('/admin/users');
    await phone.page.getByRole('heading', { level: 1, name: 'Manage users' }).waitFor();
    await session.shot('admin-users-phone', phone);
    await page.getByRole('button', { name: `Make user (${phone.username})` }).click();
    await page.getByText(`${phone.username} is now a user (no longer an admin).`).waitFor();
  });

  step('axe found no serious or critical accessibility violation on any page', async () => {
    assert.deepEqual(session.violations, []);
  });

  step('no page threw an uncaught error or broke the Content-Security-Policy', async () => {
    assert.deepEqual(session.problems, []);
  });
});

/** The texts that describe a control (its hint and its error), one per line. */
async function describedBy(page, control) {
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const texts = [];
  for (const id of ids) texts.push(await page.locator(`[id="${id}"]`).innerText());
  return texts.join('\n');
}

/** The id of the control a label names. */
async function labelled(page, label) {
  return page.getByLabel(label, { exact: true }).getAttribute('id');
}
