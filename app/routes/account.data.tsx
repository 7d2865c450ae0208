import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireUser } from '~/modules/accounts/session.server';
import { useT } from '~/platform/document-context';
import type { RouteHandle } from '~/platform/page-title';
import { buttonClass } from '~/ui/button';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('accounts:data.title') };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context);
  return null;
}

export default function MyData() {
  const t = useT();
  return (
    <>
      <PageHeader title={t('accounts:data.title')} description={t('accounts:data.intro')} />
      <p>
        {/* A download, not a page: htmx must not swap it into the body. */}
        <a className={buttonClass()} href="/account/data.json" download hx-boost="false">
          {t('accounts:data.download')}
        </a>
      </p>
    </>
  );
}
