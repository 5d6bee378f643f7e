import type { Request } from 'express';
import { en } from './en';
import { vi, type MessageKey } from './vi';

export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type { MessageKey };
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export const LANG_COOKIE = 'dh_lang';
const CATALOGUES: Record<Lang, Readonly<Record<MessageKey, string>>> = { vi, en };

export const isMessageKey = (key: string): key is MessageKey => Object.prototype.hasOwnProperty.call(vi, key);

export const isLang = (value: unknown): value is Lang => typeof value === 'string' && (LANGS as readonly string[]).includes(value);

/** `?lang=` wins (and is remembered in a cookie by the renderer), then the cookie, then Vietnamese. */
export function langOf(req: Request): Lang {
  const asked = req.query?.lang;
  if (isLang(asked)) return asked;
  const remembered = (req.cookies as Record<string, string> | undefined)?.[LANG_COOKIE];
  return isLang(remembered) ? remembered : 'vi';
}

export function translator(lang: Lang): Translate {
  const catalogue = CATALOGUES[lang];
  return (key, params) => {
    const text = catalogue[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
  };
}
