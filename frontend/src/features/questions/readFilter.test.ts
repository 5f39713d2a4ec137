import { expect, it } from 'vitest';
import { readFilter } from './QuestionListPage';

it('reads the filters from the address, refusing bad values', () => {
  expect(readFilter(new URLSearchParams('topic=graphs&difficulty=hard&q=tree&page=3'))).toEqual({
    topic: 'graphs',
    difficulty: 'hard',
    q: 'tree',
    page: 3,
  });
  expect(readFilter(new URLSearchParams('difficulty=impossible&page=-2'))).toEqual({
    topic: '',
    difficulty: '',
    q: '',
    page: 1,
  });
  expect(readFilter(new URLSearchParams('page=1.5')).page).toBe(1);
});
