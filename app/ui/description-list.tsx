import type { ReactNode } from 'react';

export function DescriptionList({
  items,
}: {
  items: Array<{ term: ReactNode; detail: ReactNode }>;
}) {
  return (
    <dl className="description-list">
      {items.map((item, index) => (
        <div key={index}>
          <dt>{item.term}</dt>
          <dd>{item.detail}</dd>
        </div>
      ))}
    </dl>
  );
}
