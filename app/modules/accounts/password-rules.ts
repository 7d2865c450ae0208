/** How long a password may be: at least 10 characters (NIST SP 800-63B asks for 8), at most 200. */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;
