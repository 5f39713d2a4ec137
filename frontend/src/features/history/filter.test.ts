import { expect, it } from 'vitest';
import { isFiltered, readHistoryFilter } from './filter';

const read = (search: string) => readHistoryFilter(new URLSearchParams(search));

it('reads every filter and the page from the address', () => {
  expect(read('difficulty=hard&topic=graphs&outcome=abandoned&language=python&page=3')).toEqual({
    difficulty: 'hard',
    topic: 'graphs',
    outcome: 'abandoned',
    language: 'python',
    page: 3,
  });
});

it('reads an empty address as no filter on the first page', () => {
  const filter = read('');
  expect(filter).toEqual({ difficulty: '', topic: '', outcome: '', language: '', page: 1 });
  expect(isFiltered(filter)).toBe(false);
});

it('drops values the service would refuse instead of failing the page', () => {
  const filter = read(`difficulty=impossible&outcome=won&page=-2&topic=${'x'.repeat(65)}&language=${'y'.repeat(33)}`);
  expect(filter).toEqual({ difficulty: '', topic: '', outcome: '', language: '', page: 1 });
  expect(read('page=1.5').page).toBe(1);
  expect(read('page=abc').page).toBe(1);
  expect(read('page=0').page).toBe(1);
});

it('reads topic and language as the service compares them: trimmed, lower case', () => {
  expect(read('topic=%20Graphs%20&language=Python')).toMatchObject({ topic: 'graphs', language: 'python' });
});

it('counts any one filter as filtered, and the page alone as not', () => {
  expect(isFiltered(read('page=2'))).toBe(false);
  for (const search of ['difficulty=easy', 'topic=math', 'outcome=completed', 'language=go']) {
    expect(isFiltered(read(search)), search).toBe(true);
  }
});
