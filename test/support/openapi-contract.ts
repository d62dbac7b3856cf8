import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, ResponseObject> }>>;
  components?: Record<string, unknown>;
}

interface ResponseObject {
  content?: Record<string, { schema?: Record<string, unknown> }>;
}

/**
 * The api's own OpenAPI document, used to check real answers: every status an endpoint answers
 * must be documented, and a JSON body must match the documented schema.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction | null>();
  private readonly templates: Array<{ template: string; pattern: RegExp }>;

  private constructor(private readonly doc: OpenApiDocument) {
    addFormats(this.ajv);
    this.templates = Object.keys(doc.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
  }

  static async load(baseUrl: string): Promise<OpenApiContract> {
    const response = await fetch(`${baseUrl}/api/docs/openapi.json`);
    if (!response.ok) throw new Error(`no OpenAPI document: ${response.status}`);
    return new OpenApiContract((await response.json()) as OpenApiDocument);
  }

  /** What is wrong with this answer by the document; empty when it matches. */
  problems(method: string, url: string, status: number, body: unknown): string[] {
    const path = new URL(url, 'http://x').pathname;
    const matches = this.templates.filter((t) => t.pattern.test(path));
    // A literal path wins over a template (`/sync-state/stats` over `/sync-state/{id}`).
    const match = matches.find((t) => !t.template.includes('{')) ?? matches[0];
    const operation = match && this.doc.paths[match.template][method.toLowerCase()];
    if (!operation) return [`${method} ${path} is not in the document`];
    const response = operation.responses?.[String(status)];
    if (!response) {
      return [`${method} ${match.template} answered ${status}, which the document does not list`];
    }
    const key = `${method} ${match.template} ${status}`;
    if (!this.validators.has(key)) {
      const schema = response.content?.['application/json']?.schema;
      this.validators.set(
        key,
        schema
          ? this.ajv.compile({
              ...schema,
              components: this.doc.components,
              $id: `urn:odoo-stream:response:${this.validators.size}`,
            })
          : null,
      );
    }
    const validate = this.validators.get(key);
    if (validate === null) {
      return body === undefined ||
        (typeof body === 'object' && body !== null && !Object.keys(body).length)
        ? []
        : [`${key} has a body but the document gives no schema for it`];
    }
    if (validate && !validate(body)) {
      return (validate.errors ?? []).map(
        (e) => `${key}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`,
      );
    }
    return [];
  }
}
