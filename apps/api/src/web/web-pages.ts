import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Response } from 'express';
import nunjucks from 'nunjucks';
import { STATUS_CODES, STATUS_COLOURS, STATUS_LABELS, periodLabel } from '@dieu-hanh/domain';
import { ATTACHMENT_ACCEPT, ATTACHMENT_MAX_BYTES, ATTACHMENTS_PER_SUBMISSION, formatBytes, storedFileId, type Attachment } from '@dieu-hanh/domain/assignment';
import { AppConfig } from '../infra/infra.module';
import { LANG_COOKIE, LANGS, isLang, langOf, translator, type Lang, type Translate } from './i18n/i18n';
import { formatDate, formatDateTime } from './deadline-status';
import { WebCsrf } from './web-csrf';
import { AUDIT_VIEWS_DIR, PAGE_VIEW_DIRS, PLANS_VIEWS_DIR, WEB_VIEWS_DIR } from './web-paths';
import type { WebRequest } from './web-request';

export const FLASH_COOKIE = 'dh_flash';

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

export interface PageContext {
  lang: Lang;
  t: Translate;
}

/**
 * Renders the server-side pages (Nunjucks, autoescaped) with what every page needs: the
 * person, the language and its catalogue, a CSRF token for its forms and a one-time flash.
 */
@Injectable()
export class WebPages {
  private readonly env: nunjucks.Environment;
  private readonly secureCookies: boolean;
  private readonly logger = new Logger(WebPages.name);

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(WebCsrf) private readonly csrf: WebCsrf,
    @Inject(DataSource) private readonly db: DataSource,
  ) {
    this.secureCookies = config.values.NODE_ENV === 'production';
    this.env = new nunjucks.Environment(new nunjucks.FileSystemLoader([WEB_VIEWS_DIR, AUDIT_VIEWS_DIR, PLANS_VIEWS_DIR, ...PAGE_VIEW_DIRS], { noCache: config.values.NODE_ENV === 'development' }), {
      autoescape: true,
      trimBlocks: true,
      lstripBlocks: true,
    });
    this.env.addFilter('date', formatDate);
    this.env.addFilter('datetime', formatDateTime);
    this.env.addFilter('uri', (value: string) => encodeURIComponent(value));
    // A report period key (2026-10, 2026-Q1, …) as the page's language names it.
    this.env.addFilter('period', (key: string, lang: Lang) => periodLabel(key, lang));
    this.env.addFilter('bytes', formatBytes);
    this.env.addFilter('fileId', (a: Attachment) => storedFileId(a));
    this.env.addFilter('storedFiles', (list: Attachment[]) => list.filter((a) => storedFileId(a) !== undefined));
    this.env.addFilter('referencedFiles', (list: Attachment[]) => list.filter((a) => storedFileId(a) === undefined));
    this.env.addGlobal('upload', { accept: ATTACHMENT_ACCEPT, limit: formatBytes(ATTACHMENT_MAX_BYTES), count: ATTACHMENTS_PER_SUBMISSION });
  }

  /** The language of this request and its translator; remembers a `?lang=` choice (in a cookie, and for a signed-in person in their record). */
  context(req: WebRequest, res: Response): PageContext {
    const lang = langOf(req);
    if (isLang(req.query?.lang)) {
      this.setLanguageCookie(res, lang);
      if (req.user) void this.rememberLanguage({ username: req.user.username }, lang);
    }
    return { lang, t: translator(lang) };
  }

  /** Remembers the language of this browser for a year. */
  setLanguageCookie(res: Response, lang: Lang): void {
    res.cookie(LANG_COOKIE, lang, { httpOnly: true, sameSite: 'lax', secure: this.secureCookies, maxAge: 365 * 86_400_000, path: '/' });
  }

  /** The language a person last chose (users.language); undefined when it cannot be read (logged). */
  async storedLanguage(who: { username: string }): Promise<Lang | undefined> {
    try {
      const rows = (await this.db.query(`SELECT language FROM users WHERE username = $1`, [who.username])) as { language: string }[];
      return isLang(rows[0]?.language) ? rows[0].language : undefined;
    } catch (err) {
      this.logger.warn(`could not read the language of ${who.username}: ${(err as Error).message}`);
      return undefined;
    }
  }

  /**
   * Stores the language a person reads in, so e-mails addressed to them use it too. Not awaited
   * by the page: a failed write costs the e-mail's language, never the page (logged).
   */
  async rememberLanguage(who: { username: string }, lang: Lang): Promise<void> {
    try {
      await this.db.query(`UPDATE users SET language = $1 WHERE username = $2 AND language <> $1`, [lang, who.username]);
    } catch (err) {
      this.logger.warn(`could not store the language of ${who.username}: ${(err as Error).message}`);
    }
  }

  render(req: WebRequest, res: Response, view: string, data: Record<string, unknown> = {}, status = 200): void {
    const { lang, t } = this.context(req, res);
    const html = this.env.render(`${view}.njk`, {
      ...data,
      t,
      lang,
      langs: LANGS.map((code) => ({ code, label: t(`lang.${code}`), url: withLang(req.originalUrl, code), current: code === lang })),
      user: req.user,
      csrfToken: this.csrf.token(req, res),
      flash: this.takeFlash(req, res),
      currentPath: req.path,
      unreadNotices: req.unreadNotices,
      statusLegend: STATUS_CODES.map((code) => ({ code, label: STATUS_LABELS[code][lang], colour: STATUS_COLOURS[code] })),
    });
    res.status(status).type('html').setHeader('cache-control', 'no-store');
    res.send(html);
  }

  /** A message shown once on the next page (post/redirect/get). Signed, so it cannot be forged. */
  flash(res: Response, flash: Flash): void {
    res.cookie(FLASH_COOKIE, JSON.stringify(flash).slice(0, 2000), { signed: true, httpOnly: true, sameSite: 'lax', secure: this.secureCookies, maxAge: 60_000, path: '/' });
  }

  private takeFlash(req: WebRequest, res: Response): Flash | undefined {
    const raw = (req.signedCookies as Record<string, string | false> | undefined)?.[FLASH_COOKIE];
    if (raw === undefined) return undefined;
    res.clearCookie(FLASH_COOKIE, { path: '/' });
    try {
      const parsed = typeof raw === 'string' ? (JSON.parse(raw) as Flash) : undefined;
      return parsed && (parsed.kind === 'ok' || parsed.kind === 'error') && typeof parsed.text === 'string' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
}

function withLang(originalUrl: string, lang: Lang): string {
  const url = new URL(originalUrl, 'http://local');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

/** CSS for the status colours, generated from the domain's palette so there is one source. */
export function statusCss(): string {
  return STATUS_CODES.map((code) => {
    const colour = STATUS_COLOURS[code];
    return `.status-${code}{--status:${colour};background:${colour};color:${readableTextOn(colour)};}`;
  }).join('\n');
}

/** Black or white, whichever contrasts more with `hex` (WCAG relative luminance). */
export function readableTextOn(hex: string): string {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000' : '#fff';
}
