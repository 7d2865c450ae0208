import { useT } from '~/platform/document-context';
import { SelectField, TextAreaField, TextField, type FormState } from '~/ui/form';
import {
  LabelChip,
  priorityOptions,
  statusName,
  type PersonOption,
  type StatusOption,
} from './components';
import type { LabelColour } from '~/platform/db/schema';

/** The fields of a new task. */
export function NewTaskFields({
  form,
  statuses,
  people,
  labels,
}: {
  form: FormState;
  statuses: StatusOption[];
  people: PersonOption[];
  labels: Array<{ id: string; name: string; colour: LabelColour }>;
}) {
  const t = useT();
  return (
    <>
      <TextField
        field={form.field('title')}
        label={t('tasks:fields.title')}
        maxLength={200}
        required
      />
      <TextAreaField
        field={form.field('description')}
        label={t('tasks:fields.description')}
        hint={t('tasks:form.descriptionHint')}
        rows={5}
      />
      <SelectField
        field={form.field('statusId')}
        label={t('tasks:fields.status')}
        options={statuses.map((status) => ({ value: status.id, label: statusName(t, status) }))}
      />
      <SelectField
        field={form.field('assigneeId')}
        label={t('tasks:fields.assignee')}
        options={[
          { value: '', label: t('tasks:nobody') },
          ...people.map((person) => ({ value: person.id, label: person.name ?? '' })),
        ]}
      />
      <SelectField
        field={form.field('priority')}
        label={t('tasks:fields.priority')}
        options={priorityOptions(t)}
      />
      <TextField field={form.field('dueDate')} label={t('tasks:fields.dueDate')} type="date" />
      {labels.length > 0 ? (
        <fieldset>
          <legend>{t('tasks:fields.labels')}</legend>
          {labels.map((label) => (
            <div className="checkbox" key={label.id}>
              <input
                type="checkbox"
                id={`${form.formId}-label-${label.id}`}
                name="labelIds"
                value={label.id}
              />
              <label htmlFor={`${form.formId}-label-${label.id}`}>
                <LabelChip label={label} />
              </label>
            </div>
          ))}
        </fieldset>
      ) : null}
    </>
  );
}
