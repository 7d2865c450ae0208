import type { ButtonHTMLAttributes } from 'react';

type Variant = 'primary' | 'secondary' | 'danger';

export function buttonClass(variant: Variant = 'primary', small = false): string {
  return ['button', variant !== 'primary' && `button--${variant}`, small && 'button--small']
    .filter(Boolean)
    .join(' ');
}

export function Button({
  variant = 'primary',
  small = false,
  type = 'submit',
  className,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; small?: boolean }) {
  return (
    <button
      type={type}
      className={[buttonClass(variant, small), className].filter(Boolean).join(' ')}
      {...props}
    />
  );
}
