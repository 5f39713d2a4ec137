import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router-dom';
import { afterEach, expect, it } from 'vitest';
import { readChoice, readPage, useUrlFilter, withChanges } from './useUrlFilter';

afterEach(cleanup);

it('sets and removes keys, and goes back to the first page on any filter change', () => {
  const params = new URLSearchParams('q=tree&topic=graphs&page=3');
  expect(withChanges(params, { difficulty: 'hard' }).toString()).toBe('q=tree&topic=graphs&difficulty=hard');
  expect(withChanges(params, { topic: '' }).toString()).toBe('q=tree');
  // The address it was given is left alone.
  expect(params.toString()).toBe('q=tree&topic=graphs&page=3');
});

it('keeps the filters when only the page changes', () => {
  expect(withChanges(new URLSearchParams('q=tree&page=3'), { page: '4' }).toString()).toBe('q=tree&page=4');
});

function Probe() {
  const { filter, update } = useUrlFilter((params) => ({ q: params.get('q') ?? '', page: params.get('page') ?? '1' }));
  const location = useLocation();
  return (
    <>
      <output data-testid="filter">{`${filter.q}@${filter.page}`}</output>
      <output data-testid="address">{location.search}</output>
      <button type="button" onClick={() => update({ q: 'heap' })}>
        Search heap
      </button>
      <button type="button" onClick={() => update({ page: '2' })}>
        Page 2
      </button>
    </>
  );
}

it('reads the filter from the address and writes changes back to it', async () => {
  render(
    <MemoryRouter initialEntries={['/list?q=tree&page=3']}>
      <Probe />
    </MemoryRouter>,
  );
  expect(screen.getByTestId('filter').textContent).toBe('tree@3');
  await userEvent.click(screen.getByRole('button', { name: 'Search heap' }));
  expect(screen.getByTestId('address').textContent).toBe('?q=heap');
  expect(screen.getByTestId('filter').textContent).toBe('heap@1');
  await userEvent.click(screen.getByRole('button', { name: 'Page 2' }));
  expect(screen.getByTestId('address').textContent).toBe('?q=heap&page=2');
});

it('reads a page and a choice, taking anything odd as the first page or no filter', () => {
  const read = (query: string) => new URLSearchParams(query);
  expect(readPage(read('page=3'))).toBe(3);
  for (const bad of ['', 'page=0', 'page=-2', 'page=1.5', 'page=two']) expect(readPage(read(bad))).toBe(1);
  const roles = ['user', 'admin'] as const;
  expect(readChoice(read('role=admin'), 'role', roles)).toBe('admin');
  expect(readChoice(read('role=owner'), 'role', roles)).toBe('');
  expect(readChoice(read(''), 'role', roles)).toBe('');
});
