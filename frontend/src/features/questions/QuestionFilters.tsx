// The question bank's search and filters, shared by the public list and the admins' list:
// a search box (applied on submit) and difficulty and topic choices (applied at once).
import { DIFFICULTIES, listTopics, topicLabel, type Difficulty, type Topic } from '../../api/questions';
import { FilterSelect, SearchForm } from '../../components/Filters';
import { useLoad } from '../../components/useLoad';
import type { FilterChanges } from '../../components/useUrlFilter';

/**
 * The topics with their counts for the topic filter, and `reload` for when the counts change.
 * If they cannot be read the list offers none: the filter still works from the address.
 */
export function useTopics(): { topics: Topic[]; reload: () => void } {
  const { result, error, reload } = useLoad(listTopics);
  return { topics: error ? [] : (result ?? []), reload };
}

export interface QuestionFiltersProps {
  filter: { q: string; difficulty: Difficulty | ''; topic: string };
  topics: Topic[];
  onChange: (changes: FilterChanges) => void;
}

export function QuestionFilters({ filter, topics, onChange }: QuestionFiltersProps) {
  return (
    <SearchForm id="q" label="Search" query={filter.q} onChange={onChange}>
      <FilterSelect
        id="difficulty"
        param="difficulty"
        label="Difficulty"
        value={filter.difficulty}
        any="Any difficulty"
        onChange={onChange}
        options={DIFFICULTIES.map((d) => ({ value: d, label: d }))}
      />
      <FilterSelect
        id="topic"
        param="topic"
        label="Topic"
        value={filter.topic}
        any="Any topic"
        onChange={onChange}
        options={topics.map((t) => ({ value: t.topic, label: `${topicLabel(t.topic)} (${t.count})` }))}
      />
    </SearchForm>
  );
}
