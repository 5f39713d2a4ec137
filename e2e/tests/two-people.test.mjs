// Two people in two browser contexts against the whole stack (nginx on E2E_BASE_URL, as
// `make up` runs it): they sign up, are matched into the same room, a stranger is kept out
// of it, mistakes are explained in sentences, a search nobody answers times out clearly,
// and logging out ends the session. Each step
// saves screenshots under e2e/screenshots/ (scripts/e2e.sh runs this).
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { RUN, launch, stepper } from '../lib/browser.mjs';
import {
  askToMatch,
  busiestTopic,
  errorSentence,
  fillLogIn,
  fillSignUp,
  roomOf,
  signUp,
} from '../lib/peerprep.mjs';

describe('two people use PeerPrep in a browser', { concurrency: 1 }, () => {
  let session;
  let ann;
  let bob;
  let stranger;
  let room = null;

  const step = stepper(() => session);

  before(async () => {
    session = await launch('two-people');
    ann = await session.person('ann');
    // Bob uses a phone-sized screen.
    bob = await session.person('bob', { width: 390, height: 844 });
    stranger = await session.person('stranger');
  });

  after(async () => {
    await session?.close();
  });

  step('both sign up and land on the home page signed in', async () => {
    await signUp(ann);
    await signUp(bob);
    await session.shot('signed-up', ann, bob);
  });

  step('both ask to match on the same topic and difficulty and land in the same room', async () => {
    const { label, difficulty } = await busiestTopic();
    await askToMatch(ann.page, label, difficulty);
    await ann.page.getByRole('heading', { name: 'Looking for a peer…' }).waitFor();
    await session.shot('ann-waiting', ann);
    await askToMatch(bob.page, label, difficulty);
    const [annRoom, bobRoom] = await Promise.all([roomOf(ann.page), roomOf(bob.page)]);
    assert.equal(bobRoom, annRoom, 'the two were sent to different rooms');
    // Each sees the room, with the other as their peer.
    await ann.page.getByText(`With ${bob.username}`).waitFor();
    await bob.page.getByText(`With ${ann.username}`).waitFor();
    room = annRoom;
    await session.shot('same-room', ann, bob);
  });

  step('in the room both type in the shared editor and see each other\'s text and cursor', async () => {
    assert.ok(room, 'no room: the matching step failed');
    for (const { page } of [ann, bob]) await page.getByText('Connected', { exact: true }).waitFor();
    const annLine = `// ann ${RUN}`;
    const bobLine = `// bob ${RUN}`;
    await ann.page.getByRole('textbox', { name: 'Shared code editor' }).click();
    await ann.page.keyboard.press('Control+End');
    await ann.page.keyboard.type(annLine);
    await bob.page.getByRole('textbox', { name: 'Shared code editor' }).getByText(annLine).waitFor();
    await bob.page.getByRole('textbox', { name: 'Shared code editor' }).click();
    await bob.page.keyboard.press('Control+End');
    await bob.page.keyboard.press('Enter');
    await bob.page.keyboard.type(bobLine);
    await ann.page.getByRole('textbox', { name: 'Shared code editor' }).getByText(bobLine).waitFor();
    // Each sees the other's cursor, labelled with their name.
    await ann.page.locator('.cm-ySelectionInfo', { hasText: bob.username }).waitFor({ state: 'attached' });
    await bob.page.locator('.cm-ySelectionInfo', { hasText: ann.username }).waitFor({ state: 'attached' });
    await session.shot('shared-editor', ann, bob);
  });

  step('one changes the language and both pickers follow', async () => {
    await ann.page.getByLabel('Language', { exact: true }).selectOption('java');
    for (const { page } of [ann, bob]) {
      await page.waitForFunction(() => document.querySelector('#session-language')?.value === 'java');
    }
    await session.shot('language-changed', ann, bob);
  });

  step('one chats and the other sees the message with its sender, and who is online', async () => {
    const text = `hello from ann ${RUN}`;
    await bob.page.getByTestId('presence').getByText(`Online: ${ann.username}`).waitFor();
    await ann.page.getByLabel('Message').fill(text);
    await ann.page.getByRole('button', { name: 'Send' }).click();
    const received = bob.page.getByTestId('chat-messages').locator('li', { hasText: text });
    await received.waitFor();
    assert.match(await received.innerText(), new RegExp(ann.username));
    // Ann's own copy is the stored one (no longer "sending").
    await ann.page.getByTestId('chat-messages').locator('li:not(.pending)', { hasText: text }).waitFor();
    await session.shot('chat', ann, bob);
  });

  step('one goes offline, keeps typing, is warned the edits are unsaved, and they arrive when back', async () => {
    const line = `// offline ${RUN}`;
    await bob.context.setOffline(true);
    await bob.page.getByTestId('connection').getByText('Reconnecting…').waitFor();
    await bob.page.getByTestId('presence').getByText('Chat connecting…').waitFor();
    await bob.page.getByRole('textbox', { name: 'Shared code editor' }).click();
    await bob.page.keyboard.press('Control+End');
    await bob.page.keyboard.press('Enter');
    await bob.page.keyboard.type(line);
    await bob.page.getByTestId('connection').getByText(/not saved yet/).waitFor();
    // Leaving now would ask first.
    const asked = await bob.page.evaluate(() => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    });
    assert.equal(asked, true, 'no beforeunload warning with unsynced edits');
    // A chat message sent meanwhile waits, and goes (once) when the chat is back.
    const note = `sent offline ${RUN}`;
    await bob.page.getByLabel('Message').fill(note);
    await bob.page.getByRole('button', { name: 'Send' }).click();
    await bob.page.getByTestId('chat-messages').locator('li.pending', { hasText: note }).waitFor();
    await session.shot('offline-unsynced', bob);
    await bob.context.setOffline(false);
    await ann.page.getByRole('textbox', { name: 'Shared code editor' }).getByText(line).waitFor();
    await bob.page.getByTestId('connection').getByText('Connected', { exact: true }).waitFor();
    await bob.page.getByTestId('presence').getByText(`Online: ${ann.username}`).waitFor();
    await ann.page.getByTestId('chat-messages').locator('li', { hasText: note }).waitFor();
    await bob.page.getByTestId('chat-messages').locator('li:not(.pending)', { hasText: note }).waitFor();
    assert.equal(await ann.page.getByTestId('chat-messages').locator('li', { hasText: note }).count(), 1);
  });

  step('one reloads mid-session and finds the code and the chat as they were', async () => {
    await ann.page.reload();
    const editor = ann.page.getByRole('textbox', { name: 'Shared code editor' });
    for (const text of [`// ann ${RUN}`, `// bob ${RUN}`, `// offline ${RUN}`]) await editor.getByText(text).waitFor();
    const messages = ann.page.getByTestId('chat-messages');
    await messages.locator('li', { hasText: `hello from ann ${RUN}` }).waitFor();
    await messages.locator('li', { hasText: `sent offline ${RUN}` }).waitFor();
    assert.equal(await messages.locator('li').count(), 2, 'a message is missing or came twice');
    assert.equal(await ann.page.locator('#session-language').inputValue(), 'java');
    await session.shot('reloaded', ann);
  });

  step('one ends the session and both are told, with a link to their history', async () => {
    ann.page.once('dialog', (dialog) => void dialog.accept());
    await ann.page.getByRole('button', { name: 'End session' }).click();
    for (const { page } of [ann, bob]) {
      await page.getByText('The session has ended.').waitFor();
      await page.getByRole('link', { name: 'your history' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'End session' }).count(), 0);
    }
    await session.shot('session-ended', ann, bob);
  });

  step('both find the attempt in their history, with the final code and the chat transcript', async () => {
    for (const { page } of [ann, bob]) {
      await page.getByRole('link', { name: 'your history' }).click();
      await page.getByRole('heading', { level: 1, name: 'History' }).waitFor();
      const attempts = page.getByRole('list', { name: 'Attempts' });
      await attempts.getByRole('listitem').first().waitFor();
      assert.equal(await attempts.getByRole('listitem').count(), 1, 'one session, one attempt');
      await attempts.getByText('Completed').waitFor();
      await page.getByRole('heading', { name: 'Your statistics' }).waitFor();
      await attempts.getByRole('link').first().click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      // The code both wrote, as it was when the session ended, in Java (the last language).
      const code = page.getByRole('textbox', { name: 'Final code (Java)' });
      for (const text of [`// ann ${RUN}`, `// bob ${RUN}`, `// offline ${RUN}`]) await code.getByText(text).waitFor();
      // Read-only, and said to be: typing into it changes nothing.
      assert.equal(await code.getAttribute('aria-readonly'), 'true');
      const before = await code.innerText();
      await code.click();
      await page.keyboard.type('typed into history');
      assert.equal(await code.innerText(), before, 'the final code changed');
      // The chat, oldest first.
      const messages = page.getByRole('list', { name: 'Chat messages' }).getByRole('listitem');
      await messages.first().waitFor();
      const texts = await messages.allInnerTexts();
      assert.equal(texts.length, 2, `the transcript: ${JSON.stringify(texts)}`);
      assert.match(texts[0], new RegExp(`hello from ann ${RUN}`));
      assert.match(texts[1], new RegExp(`sent offline ${RUN}`));
    }
    await ann.page.getByText(`Peer`).first().waitFor();
    assert.match(await ann.page.getByRole('main').innerText(), new RegExp(bob.username));
    await session.shot('history-attempt', ann, bob);
    await bob.page.getByRole('link', { name: '← All attempts' }).click();
    await bob.page.getByRole('heading', { level: 1, name: 'History' }).waitFor();
    await session.shot('history', bob);
  });

  step('a wrong password is refused with a sentence', async () => {
    await fillLogIn(stranger.page, ann.email, `not ${ann.password}`);
    const text = await errorSentence(stranger.page);
    assert.equal(text, 'That email and password do not match an account.');
    assert.equal(new URL(stranger.page.url()).pathname, '/login');
    await session.shot('wrong-password', stranger);
  });

  step('signing up with a taken email is refused with a sentence', async () => {
    await fillSignUp(stranger.page, { ...stranger, email: ann.email });
    const text = await errorSentence(stranger.page);
    assert.equal(text, 'An account with that email already exists. Try logging in instead.');
    assert.equal(new URL(stranger.page.url()).pathname, '/signup');
    await session.shot('taken-email', stranger);
  });

  step("a stranger opening the room's URL is refused with a sentence", async () => {
    assert.ok(room, 'no room: the matching step failed');
    await signUp(stranger);
    await stranger.page.goto(`/session/${room}`);
    const text = await errorSentence(stranger.page);
    assert.equal(text, 'This room does not exist, or you are not one of its members.');
    // Nothing of the room shows: neither member's name.
    const main = await stranger.page.getByRole('main').innerText();
    assert.ok(!main.includes(ann.username) && !main.includes(bob.username), `the room leaks: ${main}`);
    await session.shot('stranger-refused', stranger);
  });

  step('a person nobody matches sees the search widen, then a clear timeout, and can try again or cancel', async () => {
    // scripts/e2e.sh starts its stack with short waits (MATCH_TIMEOUT_SECS and the
    // RELAX_*_AFTER_SECS); a stack with the defaults takes a minute here.
    const { page } = stranger;
    const { label } = await busiestTopic();
    await askToMatch(page, label, 'medium');
    await page.getByRole('heading', { name: 'Looking for a peer…' }).waitFor();
    await page.getByText('medium · ' + label).waitFor();
    await page.getByText('Now also matching easy and hard.').waitFor({ timeout: 30_000 });
    await session.shot('search-widens', stranger);
    await page.getByText('Nobody was free to match with you this time.').waitFor({ timeout: 75_000 });
    await session.shot('match-timeout', stranger);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Looking for a peer…' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Matching cancelled.').waitFor();
    await page.getByRole('button', { name: 'Find a peer' }).waitFor();
    await session.shot('match-cancelled', stranger);
  });

  step('logging out returns to the log-in page and stays logged out', async () => {
    for (const person of [ann, bob]) {
      const { page } = person;
      const nav = page.getByRole('navigation', { name: 'Main' });
      // The phone layout may wrap the menu; the button is the same.
      await nav.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL((url) => url.pathname === '/login');
      await page.getByRole('heading', { name: 'Log in', exact: true }).waitFor();
      await nav.getByRole('link', { name: 'Sign up' }).waitFor();
      // A page that needs an account sends them back to log in, even after a reload.
      await page.goto('/profile');
      await page.waitForURL((url) => url.pathname === '/login');
      await page.getByRole('heading', { name: 'Log in', exact: true }).waitFor();
    }
    await session.shot('logged-out', ann, bob);
  });

  step('logging back in from there opens the page they asked for', async () => {
    // The last step left Ann on the log-in page she was sent to from /profile.
    await fillLogIn(ann.page, ann.email, ann.password, { open: false });
    await ann.page.waitForURL((url) => url.pathname === '/profile');
    await ann.page.getByRole('heading', { name: 'Your profile' }).waitFor();
    await session.shot('logged-in-again', ann);
  });

  step('no page threw an uncaught error or broke the Content-Security-Policy', async () => {
    assert.deepEqual(session.problems, []);
  });

  step('axe found no serious or critical accessibility violation on any page shown', async () => {
    assert.deepEqual(session.violations, []);
  });
});
