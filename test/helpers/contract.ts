// Checks answers against the OpenAPI document the app serves: each answer must validate against the
// schema documented for its operation and status, and a run records which operations were seen.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Json = Record<string, unknown>;

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

const pointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

export class ContractChecker {
  private readonly ajv: Ajv2020;
  private readonly operations: Operation[] = [];
  /** `METHOD template` → statuses seen. */
  readonly seen = new Map<string, Set<number>>();

  constructor(private readonly doc: Json) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(doc, 'openapi.json');
    for (const [template, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      const pattern = new RegExp('^' + template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+') + '$');
      for (const [method, op] of Object.entries(item)) {
        this.operations.push({
          method: method.toUpperCase(),
          template,
          pattern,
          responses: op.responses as Operation['responses'],
        });
      }
    }
    // Literal segments win over parameters (/automations/test-connection before /automations/{id}).
    this.operations.sort(
      (a, b) => (a.template.match(/\{/g) ?? []).length - (b.template.match(/\{/g) ?? []).length,
    );
  }

  /** Every documented operation as `METHOD template`. */
  get operationKeys(): string[] {
    return this.operations.map((o) => `${o.method} ${o.template}`);
  }

  /** Throws unless `res` is documented for its operation and validates against that status's schema. */
  check(method: string, url: string, res: LightMyRequestResponse): void {
    const path = url.split('?')[0]!;
    const op = this.operations.find((o) => o.method === method.toUpperCase() && o.pattern.test(path));
    if (!op) throw new Error(`${method} ${path}: no such operation in the document`);
    const key = `${op.method} ${op.template}`;
    const status = String(res.statusCode);
    const documented = op.responses[status];
    if (!documented)
      throw new Error(`${key}: status ${status} is not documented (${res.body.slice(0, 300)})`);
    if (!this.seen.has(key)) this.seen.set(key, new Set());
    this.seen.get(key)!.add(res.statusCode);
    const mediaTypes = Object.keys(documented.content ?? {});
    if (mediaTypes.length === 0) {
      if (res.body !== '') throw new Error(`${key} ${status}: documented without a body, got ${res.body}`);
      return;
    }
    const contentType = String(res.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    if (!mediaTypes.includes(contentType))
      throw new Error(`${key} ${status}: content type ${contentType} is not one of ${mediaTypes.join(', ')}`);
    if (contentType !== 'application/json') return;
    const ref =
      `openapi.json#/paths/${pointer(op.template)}/${op.method.toLowerCase()}` +
      `/responses/${status}/content/${pointer(contentType)}/schema`;
    const validate = this.ajv.getSchema(ref) ?? this.ajv.compile({ $ref: ref });
    if (!validate(res.json())) {
      throw new Error(
        `${key} ${status}: the answer does not fit the documented schema: ` +
          `${this.ajv.errorsText(validate.errors)}\n${res.body.slice(0, 500)}`,
      );
    }
  }
}
