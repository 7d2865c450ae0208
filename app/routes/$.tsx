import { notFound } from '~/platform/http-errors.server';

/** Any URL no route claims: the translated 404 page, inside the usual layout. */
export function loader() {
  throw notFound();
}

export default function NotFound() {
  return null;
}
