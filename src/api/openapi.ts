/**
 * The OpenAPI 3.1 description of the decision API, served at `GET /openapi.json` and kept in
 * docs/decision-api.openapi.json (test/api checks that the file is this object and that the server
 * answers as it says).
 */

const problem = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: ['string', 'null'], description: 'Diagnostic code of the catalogue (docs/guide/diagnostics.en.md), null for plain HTTP refusals (401, 404, 405, 421).' },
        message: { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } } },
      },
    },
    diagnostics: { type: 'array', items: { $ref: '#/components/schemas/Diagnostic' }, description: 'For 422: what is wrong with the facts.' },
  },
};

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } });

/** The OpenAPI document. */
export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Clausal decision API',
    version: '1',
    description: 'Evaluates one policy\'s rules on facts sent by other systems and returns the results of the Clausal interface contract (section 3). Started with `clausal api <policy-dir>`; loopback only unless a token is set.',
  },
  servers: [{ url: 'http://127.0.0.1:8181' }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Required on /v1 routes when the API was started with --token (always for non-loopback binds).' } },
    schemas: {
      Problem: problem,
      Diagnostic: {
        type: 'object',
        required: ['code', 'severity', 'message'],
        properties: { code: { type: 'string' }, severity: { enum: ['error', 'warning'] }, path: { type: 'string', description: 'Facts path, e.g. institutions[2].posts.total' }, message: { type: 'string' } },
      },
      EvaluateRequest: {
        type: 'object',
        required: ['facts'],
        additionalProperties: false,
        properties: {
          facts: { type: 'object', description: 'Facts in the policy\'s shape (for yunnan-social-work: lists regions, institutions, workers; contract section 4).' },
          asOf: { type: 'string', format: 'date', description: 'Evaluation date, YYYY-MM-DD (default: today).' },
          lang: { enum: ['zh', 'en'], description: 'Language of explanations and messages (default zh).' },
        },
      },
      Result: {
        type: 'object',
        required: ['subject', 'rule', 'cite', 'modality', 'status', 'due', 'missing', 'explanation'],
        properties: {
          subject: { type: 'object', properties: { kind: { type: 'string' }, id: { type: 'string' } } },
          rule: { type: 'string' },
          cite: { type: 'string', description: 'The clause, e.g. 三（二）' },
          modality: { enum: ['must', 'should', 'may'] },
          status: { type: 'string', description: 'not_applicable, compliant, violation, pending, advisory, unknown, eligible, ineligible (and computed for value rules)' },
          due: { type: ['string', 'null'], format: 'date' },
          missing: { type: 'array', items: { type: 'string' } },
          explanation: { type: 'string' },
          figures: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, value: {} } } },
          receipt: { type: 'string', description: 'Present when the API records decisions (--record): the id of this result in the records database.' },
        },
      },
      EvaluateResponse: {
        type: 'object',
        required: ['decision', 'policy', 'asOf', 'results', 'summary', 'warnings'],
        properties: {
          decision: { type: 'string', description: 'Id of this decision (d-…), logged with --record.' },
          policy: { type: 'object', properties: { id: { type: 'string' }, version: { type: 'string' } } },
          asOf: { type: 'string', format: 'date' },
          results: { type: 'array', items: { $ref: '#/components/schemas/Result' } },
          summary: { type: 'object', additionalProperties: { type: 'integer' } },
          warnings: { type: 'array', items: { $ref: '#/components/schemas/Diagnostic' } },
        },
      },
    },
  },
  paths: {
    '/v1/evaluate': {
      post: {
        summary: 'Evaluate every rule on the subjects of the facts',
        security: [{}, { bearer: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/EvaluateRequest' } } } },
        responses: {
          200: { description: 'The results', content: { 'application/json': { schema: { $ref: '#/components/schemas/EvaluateResponse' } } } },
          400: errorResponse('Malformed JSON (X0505), an unknown field (X0506) or a field of the wrong type (X0507)'),
          401: errorResponse('Missing or wrong bearer token'),
          413: errorResponse('Body larger than the limit (X0010)'),
          415: errorResponse('Content-Type is not application/json (X0507)'),
          421: errorResponse('Host header is not this loopback address and port (DNS rebinding)'),
          422: errorResponse('Facts the policy does not accept; `diagnostics` says what and where'),
          503: errorResponse('The decision could not be logged (R0504); no result is given'),
        },
      },
    },
    '/v1/policy': {
      get: {
        summary: 'The policy: rules with their clause and quote, and the parameters in force',
        security: [{}, { bearer: [] }],
        parameters: [
          { name: 'asOf', in: 'query', schema: { type: 'string', format: 'date' }, description: 'Date for the parameters in force (default today)' },
          { name: 'lang', in: 'query', schema: { enum: ['zh', 'en'] } },
        ],
        responses: {
          200: {
            description: 'The policy',
            content: { 'application/json': { schema: { type: 'object', required: ['policy', 'asOf', 'rules', 'parameters'], properties: {
              policy: { type: 'object' }, asOf: { type: 'string', format: 'date' },
              rules: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, kind: { type: 'string' }, cite: { type: 'string' }, modality: { type: 'string' }, type: { enum: ['obligation', 'entitlement'] }, title: { type: ['string', 'null'] }, quote: { type: ['string', 'null'] } } } },
              parameters: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, value: {}, since: { type: ['string', 'null'], format: 'date' } } } },
            } } } },
          },
          400: errorResponse('A bad asOf (X0507)'),
          401: errorResponse('Missing or wrong bearer token'),
        },
      },
    },
    '/health': {
      get: {
        summary: 'Liveness: the policy served and whether decisions are recorded',
        responses: { 200: { description: 'Up', content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'ok' }, policy: { type: 'object' }, engine: { type: 'string' }, recording: { type: 'boolean' } } } } } } },
      },
    },
    '/openapi.json': {
      get: { summary: 'This description', responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': {} } } } },
    },
  },
} as const;
