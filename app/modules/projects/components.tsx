import { useT } from '~/platform/document-context';
import { SelectField, TextAreaField, TextField, type FormState } from '~/ui/form';
import { projectStatuses } from './schema';

type Option = { id: string; name: string | null };

/** The fields a project is made of, shared by "New project" and "Edit". */
export function ProjectFields({
  form,
  people,
  divisions,
  withKey,
}: {
  form: FormState;
  people: Option[];
  divisions: Option[];
  withKey: boolean;
}) {
  const t = useT();
  return (
    <>
      <TextField
        field={form.field('name')}
        label={t('projects:fields.name')}
        maxLength={120}
        required
      />
      {withKey ? (
        <TextField
          field={form.field('key')}
          label={t('projects:fields.key')}
          hint={t('projects:form.keyHint')}
          maxLength={10}
          autoCapitalize="characters"
          spellCheck={false}
        />
      ) : null}
      <TextAreaField
        field={form.field('description')}
        label={t('projects:fields.description')}
        hint={t('projects:form.descriptionHint')}
        rows={6}
      />
      <SelectField
        field={form.field('status')}
        label={t('projects:fields.status')}
        options={projectStatuses.map((status) => ({
          value: status,
          label: t(`projects:status.${status}`),
        }))}
      />
      <SelectField
        field={form.field('leadId')}
        label={t('projects:fields.lead')}
        options={[
          { value: '', label: t('projects:form.noLead') },
          ...people.map((person) => ({ value: person.id, label: person.name ?? '' })),
        ]}
      />
      {divisions.length > 0 ? (
        <SelectField
          field={form.field('divisionId')}
          label={t('projects:fields.division')}
          options={[
            { value: '', label: t('projects:form.noDivision') },
            ...divisions.map((division) => ({ value: division.id, label: division.name ?? '' })),
          ]}
        />
      ) : null}
      <TextField
        field={form.field('startDate')}
        label={t('projects:fields.startDate')}
        type="date"
      />
      <TextField
        field={form.field('targetDate')}
        label={t('projects:fields.targetDate')}
        type="date"
      />
    </>
  );
}

export function ProjectStatusBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <span className={`badge badge--${status}`}>
      {t(`projects:status.${status}` as never) as string}
    </span>
  );
}
