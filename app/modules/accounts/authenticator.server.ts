import { Authenticator } from 'remix-auth';
import { FormStrategy } from 'remix-auth-form';
import { signIn, type SignInResult } from './identity.server';
import { signInSchema } from './schema';

/**
 * remix-auth with its form strategy: the password check behind the sign-in form. remix-auth 4
 * keeps no session of its own; what it returns is turned into our server-side session (or a
 * second-factor step) by the caller.
 */
export const authenticator = new Authenticator<SignInResult>().use(
  new FormStrategy(async ({ form }) => {
    const { email, password } = signInSchema.parse(Object.fromEntries(form));
    return signIn({ email, password });
  }),
  'password',
);
