// What a person does in PeerPrep's pages, through the names a screen reader announces
// (labels, roles, button texts), and the checks the tests share.
import assert from 'node:assert/strict';
import { BASE } from './browser.mjs';

/** Fills and sends the sign-up form. */
export async function fillSignUp(page, { email, username, password }) {
  await page.goto('/signup');
  await page.getByRole('heading', { name: 'Create your account' }).waitFor();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
}

/** Signs up and waits until the home page greets the person, signed in. */
export async function signUp(person) {
  await fillSignUp(person.page, person);
  await refusedOrOn(person.page, 'Practise with a peer', 'sign-up');
  await expectSignedIn(person);
}

/** Waits for the heading of the next page or an error alert; a refusal fails with its text. */
async function refusedOrOn(page, heading, what) {
  const alert = page.getByRole('alert');
  await page.getByRole('heading', { name: heading }).or(alert).first().waitFor();
  if (await alert.isVisible()) throw new Error(`the ${what} was refused: ${await alert.innerText()}`);
}

/** Fills and sends the log-in form (opening /login first unless `open` is false). */
export async function fillLogIn(page, email, password, { open = true } = {}) {
  if (open) await page.goto('/login');
  await page.getByRole('heading', { name: 'Log in', exact: true }).waitFor();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

/** On the home page, greeted by name, with their name in the menu and a way to log out. */
export async function expectSignedIn({ page, username }) {
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('heading', { name: 'Practise with a peer' }).waitFor();
  await page.getByText(`Hello ${username}.`).waitFor();
  const nav = page.getByRole('navigation', { name: 'Main' });
  // "Signed in as <name>"; a phone-sized screen hides the words and keeps the name.
  await nav.getByRole('link', { name: new RegExp(`(^|Signed in as )${username}$`) }).waitFor();
  await nav.getByRole('button', { name: 'Log out' }).waitFor();
}

/** The text of the page's error alert once it shows, checked to be a sentence. */
export async function errorSentence(page) {
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = (await alert.innerText()).trim();
  expectSentence(text);
  // Nothing on the page is a service's raw answer either.
  const main = await page.getByRole('main').innerText();
  assert.doesNotMatch(main, /[{}]|"error"|"message"/, `the page shows raw JSON: ${main}`);
  return text;
}

/** A sentence a person reads: a capital, words, a full stop; no JSON, no bare code. */
export function expectSentence(text) {
  assert.match(text, /^[A-Z][^{}"]*[.!?]$/, `not a sentence: ${JSON.stringify(text)}`);
  assert.ok(text.split(/\s+/).length >= 4, `too short to be a sentence: ${JSON.stringify(text)}`);
}

/**
 * On the home page: one topic and one difficulty, then "Find a peer". The relaxation boxes
 * keep their defaults (ticked, as a newcomer leaves them): it starts after a wait the two
 * requests made a moment apart never reach.
 */
export async function askToMatch(page, topicLabel, difficulty) {
  await page.goto('/');
  await page.getByRole('checkbox', { name: topicLabel, exact: true }).check();
  await page.getByRole('radio', { name: difficulty, exact: true }).check();
  await page.getByRole('button', { name: 'Find a peer' }).click();
}

const ROOM_PATH = /^\/session\/([0-9a-f-]{36})$/;

/** Waits until the page is a session page and returns its room id. */
export async function roomOf(page) {
  await page.waitForURL((url) => ROOM_PATH.test(url.pathname));
  return ROOM_PATH.exec(new URL(page.url()).pathname)[1];
}

/** The topic and difficulty with the most questions in the bank (so a match finds one). */
export async function busiestTopic() {
  const response = await fetch(`${BASE}/question-service-api/topics`);
  assert.equal(response.status, 200, 'the question service lists no topics');
  const topics = await response.json();
  let best = null;
  for (const t of topics) {
    for (const difficulty of ['easy', 'medium', 'hard']) {
      if (!best || t[difficulty] > best.count) best = { topic: t.topic, difficulty, count: t[difficulty] };
    }
  }
  assert.ok(best && best.count > 0, 'the question bank is empty: is it seeded?');
  const words = best.topic.replace(/-/g, ' ');
  return { ...best, label: words.charAt(0).toUpperCase() + words.slice(1) };
}
