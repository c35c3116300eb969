/** The parts of a JSON Schema (OpenAPI 3.1 flavour) the docs page reads. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  description?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { description?: string; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}

/** The parts of an OpenAPI 3.1 document the docs page reads. */
export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation | unknown>>;
  components?: {
    schemas?: Record<string, Schema>;
    securitySchemes?: Record<
      string,
      { type: string; scheme?: string; name?: string; in?: string; description?: string }
    >;
  };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function esc(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A one-line, HTML-escaped TypeScript-like summary of a schema, with links to named schemas. */
function typeHtml(schema: Schema | undefined, depth = 0): string {
  if (!schema) return 'any';
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    return `<a href="#schema-${esc(name)}">${esc(name)}</a>`;
  }
  if (schema.const !== undefined) return esc(JSON.stringify(schema.const));
  if (schema.enum) return schema.enum.map((v) => esc(JSON.stringify(v))).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((s) => typeHtml(s, depth)).join(' | ');
  if (schema.allOf) return schema.allOf.map((s) => typeHtml(s, depth)).join(' &amp; ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return types.map((t) => typeHtml({ ...schema, type: t }, depth)).join(' | ');
  switch (types[0]) {
    case 'array':
      return `${typeHtml(schema.items, depth)}[]`;
    case 'object': {
      if (schema.properties && depth < 2) {
        const fields = Object.entries(schema.properties).map(([key, value]) => {
          const optional = schema.required?.includes(key) ? '' : '?';
          return `${esc(key)}${optional}: ${typeHtml(value, depth + 1)}`;
        });
        return `{ ${fields.join('; ')} }`;
      }
      if (typeof schema.additionalProperties === 'object') {
        return `Record&lt;string, ${typeHtml(schema.additionalProperties, depth)}&gt;`;
      }
      return 'object';
    }
    case undefined:
      return 'any';
    default:
      return esc(schema.format ? `${types[0]} (${schema.format})` : types[0]);
  }
}

function constraints(schema: Schema | undefined): string {
  if (!schema) return '';
  const parts: string[] = [];
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.minimum !== undefined) parts.push(`min ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`max ${schema.maximum}`);
  return esc(parts.join(', '));
}

function contentHtml(content: Record<string, { schema?: Schema }> | undefined): string {
  if (!content) return '';
  return Object.entries(content)
    .map(([type, media]) => `<code>${esc(type)}</code> ${typeHtml(media.schema)}`)
    .join('<br>');
}

function operationHtml(path: string, method: string, op: Operation, doc: OpenApiDocument): string {
  const auth = op.security?.length
    ? op.security
        .flatMap((req) => Object.keys(req))
        .map((name) => {
          const scheme = doc.components?.securitySchemes?.[name];
          return `<code>${esc(name)}</code>${scheme?.description ? ` — ${esc(scheme.description)}` : ''}`;
        })
    : ['none'];
  const params = (op.parameters ?? [])
    .map(
      (p) =>
        `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td>` +
        `<td>${typeHtml(p.schema)}</td><td>${esc(p.description ?? p.schema?.description)} ${constraints(p.schema)}</td></tr>`,
    )
    .join('');
  const responses = Object.entries(op.responses ?? {})
    .map(
      ([status, r]) =>
        `<tr><td>${esc(status)}</td><td>${esc(r.description)}</td><td>${contentHtml(r.content)}</td></tr>`,
    )
    .join('');
  return `<section class="op" id="${esc(`${method}-${path}`)}">
<h3><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p>${esc(op.summary)}</p>${op.description ? `<p class="desc">${esc(op.description)}</p>` : ''}
<p><strong>Auth:</strong> ${auth.join(' or ')}</p>
${params ? `<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Required</th><th>Type</th><th>Notes</th></tr>${params}</table>` : ''}
${op.requestBody ? `<h4>Request body</h4><p>${contentHtml(op.requestBody.content)}</p>` : ''}
<h4>Responses</h4><table><tr><th>Status</th><th>Meaning</th><th>Body</th></tr>${responses}</table>
</section>`;
}

function schemaHtml(name: string, schema: Schema): string {
  const rows = Object.entries(schema.properties ?? {})
    .map(
      ([key, value]) =>
        `<tr><td><code>${esc(key)}</code></td><td>${typeHtml(value)}</td><td>${schema.required?.includes(key) ? 'yes' : 'no'}</td>` +
        `<td>${esc(value.description)} ${constraints(value)}</td></tr>`,
    )
    .join('');
  const body = rows
    ? `<table><tr><th>Field</th><th>Type</th><th>Required</th><th>Notes</th></tr>${rows}</table>`
    : `<p>${typeHtml({ ...schema, description: undefined })}</p>`;
  return `<section id="schema-${esc(name)}"><h3>${esc(name)}</h3>${schema.description ? `<p>${esc(schema.description)}</p>` : ''}${body}</section>`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
code{font:13px ui-monospace,monospace;background:#f4f4f4;padding:0 .2em}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}.op{border-top:1px solid #ccc;margin-top:1.5rem}
.method{display:inline-block;min-width:4.5em;text-align:center;color:#fff;border-radius:3px;background:#555}
.get{background:#2a7}.post{background:#27c}.delete{background:#c33}.desc{color:#555}nav li{list-style:none}`;

/** Renders an OpenAPI 3.1 document as one self-contained HTML page: every operation, its auth, inputs and outputs. */
export function renderDocsPage(doc: OpenApiDocument): string {
  const operations: { path: string; method: string; op: Operation }[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as Operation | undefined;
      if (op) operations.push({ path, method, op });
    }
  }
  const nav = operations
    .map(
      ({ path, method, op }) =>
        `<li><a href="#${esc(`${method}-${path}`)}">${esc(method.toUpperCase())} ${esc(path)}</a> — ${esc(op.summary)}</li>`,
    )
    .join('');
  const schemes = Object.entries(doc.components?.securitySchemes ?? {})
    .map(
      ([name, s]) =>
        `<li><code>${esc(name)}</code>: ${esc(s.type === 'http' ? `HTTP ${s.scheme}` : `${s.in} ${s.name}`)} — ${esc(s.description)}</li>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(doc.info.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head><body>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1><p>${esc(doc.info.description)}</p>
<p>Machine-readable: <a href="openapi.json">openapi.json</a></p>
<h2>Authentication</h2><ul>${schemes}</ul>
<h2>Endpoints</h2><nav><ul>${nav}</ul></nav>
${operations.map(({ path, method, op }) => operationHtml(path, method, op, doc)).join('\n')}
<h2>Schemas</h2>${Object.entries(doc.components?.schemas ?? {})
    .map(([n, s]) => schemaHtml(n, s))
    .join('\n')}
</body></html>`;
}
