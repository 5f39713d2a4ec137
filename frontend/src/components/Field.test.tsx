import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { Field } from './Field';

afterEach(cleanup);

it('labels the input and reads its hint and error with it', () => {
  render(<Field label="Password" type="password" hint="At least 12 characters." error="Password is too short." />);
  const input = screen.getByLabelText('Password');
  expect(input.getAttribute('aria-invalid')).toBe('true');
  const described = (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent);
  expect(described).toEqual(['At least 12 characters.', 'Password is too short.']);
});

it('without an error the input is not marked invalid', () => {
  render(<Field label="Email" type="email" />);
  expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBeNull();
});
