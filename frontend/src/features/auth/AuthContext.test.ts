import { expect, it } from 'vitest';
import { signedOutNotice } from './AuthContext';

it('an ended or expired session always explains itself, even on a fresh load', () => {
  expect(signedOutNotice('ended', false)).toMatch(/^You were signed out because this session was ended/);
  expect(signedOutNotice('expired', false)).toMatch(/^You were signed out because your session expired/);
});

it('a visitor without any session gets no message; a tab that was signed in does', () => {
  expect(signedOutNotice('none', false)).toBeNull();
  expect(signedOutNotice('none', true)).toMatch(/^You were signed out/);
});
