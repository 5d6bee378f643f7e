import Ajv, { type ValidateFunction } from 'ajv';

/**
 * The response contract (issue 14): every answer an integration test receives from the API is
 * checked against what the live OpenAPI document declares for that operation and status, so the
 * document cannot drift from the server. A body that breaks its schema, or a status the operation
 * does not declare, fails the test that received it.
 */

// The document as served at /api/docs-json (OpenAPI 3.0).
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
  components?: object;
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

export class ContractViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractViolation';
  }
}

export class ResponseContract {
  private readonly routes: Route[];
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private readonly compiled = new Map<string, ValidateFunction>();
  /** How many answers were checked against a schema (a test can assert the checker ran). */
  checked = 0;

  constructor(private readonly document: OpenApiDocument) {
    this.routes = Object.entries(document.paths).flatMap(([template, item]) =>
      Object.entries(item).map(([method, op]) => ({
        method: method.toUpperCase(),
        template,
        // A path parameter is one segment; templates without parameters win over those with (plans/schema before plans/{id}).
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
        responses: op.responses ?? {},
      })),
    ).sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  }

  static async load(baseUrl: string): Promise<ResponseContract> {
    const res = await fetch(`${baseUrl}/api/docs-json`);
    if (res.status !== 200) throw new Error(`the OpenAPI document answered ${res.status}`);
    return new ResponseContract((await res.json()) as OpenApiDocument);
  }

  /** The operation a request reaches, or undefined for pages and files the document does not describe. */
  route(method: string, path: string): Route | undefined {
    const bare = path.split('?')[0].replace(/^\/api\/v1\//, '/api/');
    return this.routes.find((r) => r.method === method.toUpperCase() && r.pattern.test(bare));
  }

  /** Throws a ContractViolation when the answer is not one the document declares. */
  check(method: string, path: string, status: number, contentType: string | null, body: unknown): void {
    const route = this.route(method, path);
    if (!route) return;
    const where = `${method.toUpperCase()} ${route.template} answered ${status}`;
    const response = route.responses[String(status)] ?? route.responses[`${String(status)[0]}XX`] ?? route.responses.default;
    if (!response) throw new ContractViolation(`${where}, a status the document does not declare (declared: ${Object.keys(route.responses).join(', ')})`);
    if (!response.content || status === 204) return;
    const type = (contentType ?? '').split(';')[0].trim();
    const media = response.content[type];
    if (!media) throw new ContractViolation(`${where} as ${type || 'no content type'}; the document declares ${Object.keys(response.content).join(', ')}`);
    if (!media.schema || type !== 'application/json') return;
    const key = `${route.method} ${route.template} ${status}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      // The schema's $refs (#/components/schemas/…) resolve against the document's components.
      validate = this.ajv.compile({ ...media.schema, components: this.document.components });
      this.compiled.set(key, validate);
    }
    this.checked++;
    if (!validate(body)) {
      const problems = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || '(body)'} ${e.message}`).join('; ');
      throw new ContractViolation(`${where} with a body that breaks its schema: ${problems}\n${JSON.stringify(body).slice(0, 2000)}`);
    }
  }
}
