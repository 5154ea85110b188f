import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('ordo.locale') : null;

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  lng:
    saved ??
    (typeof navigator !== 'undefined' && navigator.language.startsWith('zh') ? 'zh-CN' : 'en'),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

/** Switches the language for this user (kept in the browser). */
export function toggleLanguage(): void {
  const next = i18n.language === 'zh-CN' ? 'en' : 'zh-CN';
  localStorage.setItem('ordo.locale', next);
  void i18n.changeLanguage(next);
}

export default i18n;
