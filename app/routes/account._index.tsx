import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import {
  getProfile,
  listSecurityEvents,
  updateProfile,
  describeDevice,
} from '~/modules/accounts/account-settings.server';
import { profileSchema } from '~/modules/accounts/schema';
import { requireUser } from '~/modules/accounts/session.server';
import { setWantsEmail, wantsEmail } from '~/modules/notifications/notifications.server';
import { useFormat, useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm, readForm } from '~/platform/forms.server';
import { timeZones } from '~/platform/i18n/format';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, SelectField, TextField, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';
import { Table } from '~/ui/table';

export const handle: RouteHandle = { title: (t) => t('accounts:account.profileTitle') };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const [profile, events, emailNotifications] = await Promise.all([
    getProfile(user.id),
    listSecurityEvents(user.id),
    wantsEmail(user.id),
  ]);
  return {
    emailNotifications,
    profile: {
      name: profile.name ?? '',
      email: profile.email ?? '',
      locale: profile.locale ?? '',
      timeZone: profile.timeZone,
    },
    events: events.map((event) => ({
      id: event.id,
      action: event.action,
      ip: event.ip,
      device: describeDevice(event.userAgent),
      createdAt: event.createdAt.toISOString(),
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await readForm(request.clone());
  if (form.get('intent') === 'emailNotifications') {
    // An unticked checkbox sends nothing.
    await setWantsEmail(user.id, form.get('emailNotifications') === 'on');
    return redirectWithFlash('/account', {
      kind: 'success',
      key: 'notifications:preference.saved',
    });
  }
  const submission = await parseForm(request, profileSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  await updateProfile(user.id, submission.value);
  return redirectWithFlash('/account', { kind: 'success', key: 'accounts:account.profileSaved' });
}

export default function Profile() {
  const t = useT();
  const format = useFormat();
  const { profile, events, emailNotifications } = useLoaderData<typeof loader>();
  const form = useFormState('profile', useActionData<typeof action>()?.result, profile);
  return (
    <>
      <PageHeader title={t('accounts:account.profileTitle')} description={profile.email} />
      <ErrorSummary form={form} />
      {/* "?index": a plain form's POST to /account would otherwise go to the account layout (405). */}
      <form method="post" action="/account?index" id={form.formId} noValidate>
        <TextField
          field={form.field('name')}
          label={t('accounts:fields.name')}
          autoComplete="name"
          required
        />
        <SelectField
          field={form.field('locale')}
          label={t('accounts:fields.locale')}
          hint={t('accounts:account.localeHint')}
          options={[
            { value: '', label: t('accounts:account.localeAuto') },
            { value: 'en', label: 'English' },
            { value: 'es', label: 'Español' },
          ]}
        />
        <SelectField
          field={form.field('timeZone')}
          label={t('accounts:fields.timeZone')}
          hint={t('accounts:account.timeZoneHint')}
          options={timeZones.map((zone) => ({ value: zone, label: zone.replaceAll('_', ' ') }))}
        />
        <Button>{t('common:actions.save')}</Button>
      </form>

      <section aria-labelledby="email-notifications-title">
        <h2 id="email-notifications-title">{t('notifications:preference.title')}</h2>
        <form method="post" action="/account?index">
          <input type="hidden" name="intent" value="emailNotifications" />
          <div className="checkbox">
            <input
              type="checkbox"
              id="email-notifications"
              name="emailNotifications"
              defaultChecked={emailNotifications}
              aria-describedby="email-notifications-hint"
            />
            <label htmlFor="email-notifications">{t('notifications:preference.label')}</label>
          </div>
          <p className="field__hint" id="email-notifications-hint">
            {t('notifications:preference.hint')}
          </p>
          <Button variant="secondary">{t('notifications:preference.save')}</Button>
        </form>
      </section>

      <h2>{t('accounts:account.securityLogTitle')}</h2>
      <Table
        caption={t('accounts:account.securityLogCaption')}
        rows={events}
        rowKey={(event) => String(event.id)}
        columns={[
          {
            header: t('accounts:account.columns.when'),
            cell: (event) => (
              <time dateTime={event.createdAt}>{format.date(event.createdAt, 'dateTime')}</time>
            ),
            rowHeader: true,
          },
          {
            header: t('accounts:account.columns.event'),
            cell: (event) => t(`audit:actions.${event.action}` as never) as string,
          },
          {
            header: t('accounts:account.columns.device'),
            cell: (event) =>
              [event.device.browser, event.device.system].filter(Boolean).join(' · ') ||
              t('common:unknown'),
          },
          {
            header: t('accounts:account.columns.ip'),
            cell: (event) => event.ip ?? t('common:unknown'),
          },
        ]}
      />
    </>
  );
}
