import { useTranslation } from 'react-i18next';

/** A timestamp as the person's language writes a date and time. */
export function useDate(): (iso: string) => string {
  const { i18n } = useTranslation();
  const format = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
  return (iso) => format.format(new Date(iso));
}
