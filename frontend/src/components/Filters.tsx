// The pieces of a list's filter form (`.filters`): a search box applied on submit, and choices
// applied at once. Each choice starts with "Any …" (the empty value, no filter).
import { useState, type FormEvent, type ReactNode } from 'react';
import type { FilterChanges } from './useUrlFilter';

export interface SearchFormProps {
  /** The search box's id and label. */
  id: string;
  label: string;
  /** The search in the address now; what is typed is only searched on submit. */
  query: string;
  /** Gets `{ q }` on submit, trimmed. */
  onChange: (changes: FilterChanges) => void;
  /** The form's other fields, after the search box. */
  children?: ReactNode;
}

export function SearchForm({ id, label, query, onChange, children }: SearchFormProps) {
  const [search, setSearch] = useState(query);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    onChange({ q: search.trim() });
  }

  return (
    <form className="filters" onSubmit={onSubmit} role="search">
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <div className="inline">
          <input id={id} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
          <button type="submit">Search</button>
        </div>
      </div>
      {children}
    </form>
  );
}

export interface FilterSelectProps {
  id: string;
  /** The address key it sets. */
  param: string;
  label: string;
  value: string;
  /** The first option's text, for no filter: "Any topic". */
  any: string;
  /** Gets `{ [param]: value }` on a choice; '' is no filter. */
  onChange: (changes: FilterChanges) => void;
  /** The options after "Any …". */
  options: readonly FilterOption[];
}

export interface FilterOption {
  value: string;
  label: string;
}

export function FilterSelect({ id, param, label, value, any, onChange, options }: FilterSelectProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange({ [param]: e.target.value })}>
        <option value="">{any}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
