import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it, vi } from 'vitest';
import { FilterSelect, SearchForm } from './Filters';

afterEach(cleanup);

function Form({ onChange }: { onChange: (changes: Record<string, string>) => void }) {
  return (
    <SearchForm id="q" label="Search" query="tree" onChange={onChange}>
      <FilterSelect
        id="level"
        label="Level"
        value=""
        any="Any level"
        param="level"
        onChange={onChange}
        options={[{ value: 'hard', label: 'Hard' }]}
      />
    </SearchForm>
  );
}

it('searches on submit only, trimmed, starting from the search in the address', async () => {
  const onChange = vi.fn();
  render(<Form onChange={onChange} />);
  expect(screen.getByRole('search')).toBeTruthy();
  const box = screen.getByRole('searchbox', { name: 'Search' }) as HTMLInputElement;
  expect(box.value).toBe('tree');
  await userEvent.clear(box);
  await userEvent.type(box, '  heap ');
  expect(onChange).not.toHaveBeenCalled();
  await userEvent.click(screen.getByRole('button', { name: 'Search' }));
  expect(onChange).toHaveBeenCalledWith({ q: 'heap' });
});

it('offers "Any …" first and applies a choice at once', async () => {
  const onChange = vi.fn();
  render(<Form onChange={onChange} />);
  const select = screen.getByRole('combobox', { name: 'Level' }) as HTMLSelectElement;
  expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
    ['', 'Any level'],
    ['hard', 'Hard'],
  ]);
  await userEvent.selectOptions(select, 'hard');
  expect(onChange).toHaveBeenCalledWith({ level: 'hard' });
});
