import { expect, it } from 'vitest';
import { fromState } from './LoginPage';

it('returns to the page the user came from, only on this site', () => {
  expect(fromState({ from: '/session/abc?x=1' })).toBe('/session/abc?x=1');
  expect(fromState({ from: '//evil.example/' })).toBe('/');
  expect(fromState({ from: 'https://evil.example/' })).toBe('/');
  expect(fromState(null)).toBe('/');
  expect(fromState({ from: 3 })).toBe('/');
});
