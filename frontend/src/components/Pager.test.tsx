import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it, vi } from 'vitest';
import { Pager, pageCount } from './Pager';

afterEach(cleanup);

function buttons() {
  const nav = screen.getByRole('navigation', { name: 'Pages' });
  return {
    nav,
    previous: within(nav).getByRole('button', { name: 'Previous page' }) as HTMLButtonElement,
    next: within(nav).getByRole('button', { name: 'Next page' }) as HTMLButtonElement,
  };
}

it('says where you are and leads to the pages either side', async () => {
  const onPage = vi.fn();
  render(<Pager page={2} pages={3} onPage={onPage} />);
  const { nav, previous, next } = buttons();
  expect(nav.textContent).toContain('Page 2 of 3');
  expect(previous.disabled).toBe(false);
  expect(next.disabled).toBe(false);
  await userEvent.click(previous);
  expect(onPage).toHaveBeenLastCalledWith(1);
  await userEvent.click(next);
  expect(onPage).toHaveBeenLastCalledWith(3);
});

it('has no previous page on the first and no next page on the last', () => {
  render(<Pager page={1} pages={2} onPage={() => {}} />);
  expect(buttons().previous.disabled).toBe(true);
  expect(buttons().next.disabled).toBe(false);
  cleanup();
  render(<Pager page={2} pages={2} onPage={() => {}} />);
  expect(buttons().previous.disabled).toBe(false);
  expect(buttons().next.disabled).toBe(true);
});

it('past the end, only "Previous page" works', () => {
  render(<Pager page={9} pages={2} onPage={() => {}} />);
  expect(buttons().nav.textContent).toContain('Page 9 of 2');
  expect(buttons().previous.disabled).toBe(false);
  expect(buttons().next.disabled).toBe(true);
});

it('counts pages, an empty list being one page', () => {
  expect(pageCount(0, 20)).toBe(1);
  expect(pageCount(20, 20)).toBe(1);
  expect(pageCount(21, 20)).toBe(2);
  expect(pageCount(45, 20)).toBe(3);
});
