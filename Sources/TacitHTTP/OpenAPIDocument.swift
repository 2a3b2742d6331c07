/// The OpenAPI 3.0 description of the HTTP API, served at `/openapi.yaml`.
///
/// A test (`OpenAPIRoutesTests`) checks that every path and method here is a real route and
/// every route is documented here.
enum OpenAPIDocument {
    static let yaml = #"""
    openapi: 3.0.3
    info:
      title: Tacit recommendation service
      version: "1"
      description: |
        Events in, recommendations out. Writes (POST, PUT, DELETE) and /v1/models need the
        X-API-Key header when the server has an API key; reads need it unless reads are public.
        Errors are JSON: {"error": "<message naming the field>", "status": <code>}.
    components:
      securitySchemes:
        apiKey: {type: apiKey, in: header, name: X-API-Key}
      parameters:
        count: {name: count, in: query, schema: {type: integer, minimum: 1}, description: how many items (default per scene, usually 10)}
        userId: {name: id, in: path, required: true, schema: {type: string}}
        itemId: {name: id, in: path, required: true, schema: {type: string}}
      schemas:
        Error:
          type: object
          required: [error, status]
          properties: {error: {type: string}, status: {type: integer}}
        Event:
          type: object
          required: [user_id, item_id, kind]
          additionalProperties: false
          properties:
            user_id: {type: string, minLength: 1}
            item_id: {type: string, minLength: 1}
            kind: {type: string, minLength: 1, description: "view, click, add_to_cart, purchase or a custom kind"}
            timestamp: {description: seconds since 1970 (or milliseconds) or ISO 8601; default the receive time, oneOf: [{type: number}, {type: string}]}
            value: {type: number}
            event_id: {type: string, description: idempotency key; a repeated id is stored once}
            recommendation_id: {type: string, description: the recommendation response this event follows}
        StoredEvent:
          allOf:
            - $ref: '#/components/schemas/Event'
            - type: object
              properties: {sequence: {type: integer}}
        Item:
          type: object
          additionalProperties: false
          properties:
            item_id: {type: string}
            title: {type: string}
            category: {type: string}
            brand: {type: string}
            price: {type: number, minimum: 0}
            tags: {type: array, items: {type: string}}
            available: {type: boolean}
            created_at: {type: integer}
            attributes: {type: object, additionalProperties: {type: string}}
        RecommendedItem:
          type: object
          required: [item_id, score, source, explanation]
          properties:
            item_id: {type: string}
            score: {type: number}
            source: {type: string, enum: [personal, similar, complementary, trending, popular, content]}
            explanation: {type: string}
            title: {type: string}
            category: {type: string}
            price: {type: number}
            available: {type: boolean}
        ItemList:
          type: object
          properties: {items: {type: array, items: {$ref: '#/components/schemas/RecommendedItem'}}}
        ModelVersion:
          type: object
          properties:
            version: {type: integer}
            model: {type: string}
            parameters: {type: object, additionalProperties: {type: string}}
            created_at: {type: integer}
            last_sequence: {type: integer}
            first_event_time: {type: integer}
            last_event_time: {type: integer}
            events: {type: integer}
            users: {type: integer}
            items: {type: integer}
            fit_seconds: {type: number}
            metrics: {type: object, additionalProperties: {type: number}}
            serving: {type: boolean}
      responses:
        BadRequest: {description: invalid input, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
        Unauthorized: {description: missing or wrong X-API-Key, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
        NotFound: {description: unknown id, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
    paths:
      /v1/events:
        post:
          summary: Record one event, or a batch of up to 1000 ({"events": [...]}); durable when answered 200
          security: [{apiKey: []}]
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  oneOf:
                    - $ref: '#/components/schemas/Event'
                    - type: object
                      required: [events]
                      properties: {events: {type: array, maxItems: 1000, items: {$ref: '#/components/schemas/Event'}}}
          responses:
            "200":
              description: stored
              content:
                application/json:
                  schema:
                    type: object
                    properties: {accepted: {type: integer}, duplicates: {type: integer}, sequences: {type: array, items: {type: integer}}}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "413": {description: body too large}
      /v1/items:
        get:
          summary: Search the catalogue (id, title, category, brand, tags)
          parameters:
            - {name: search, in: query, schema: {type: string}}
            - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 1000}}
          responses:
            "200": {description: matching items, content: {application/json: {schema: {type: object, properties: {items: {type: array, items: {$ref: '#/components/schemas/Item'}}}}}}}
        post:
          summary: Insert or replace many items ({"items": [...]}, each with item_id)
          security: [{apiKey: []}]
          requestBody:
            required: true
            content: {application/json: {schema: {type: object, required: [items], properties: {items: {type: array, items: {$ref: '#/components/schemas/Item'}}}}}}
          responses:
            "200": {description: upserted, content: {application/json: {schema: {type: object, properties: {upserted: {type: integer}}}}}}
            "400": {$ref: '#/components/responses/BadRequest'}
      /v1/items/{id}:
        parameters: [{$ref: '#/components/parameters/itemId'}]
        get:
          summary: One item's metadata
          responses:
            "200": {description: the item, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}
            "404": {$ref: '#/components/responses/NotFound'}
        put:
          summary: Insert or replace one item (recommendable at once)
          security: [{apiKey: []}]
          requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}
          responses:
            "200": {description: the stored item, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}
            "400": {$ref: '#/components/responses/BadRequest'}
      /v1/items/{id}/similar:
        parameters: [{$ref: '#/components/parameters/itemId'}]
        get:
          summary: Items similar to this one (model neighbours; shared attributes for new items)
          parameters: [{$ref: '#/components/parameters/count'}]
          responses:
            "200": {description: similar items, content: {application/json: {schema: {$ref: '#/components/schemas/ItemList'}}}}
            "404": {$ref: '#/components/responses/NotFound'}
      /v1/users/{id}/events:
        parameters: [{$ref: '#/components/parameters/userId'}]
        get:
          summary: The user's stored events, oldest first
          parameters: [{name: limit, in: query, schema: {type: integer, minimum: 1}, description: only the newest N}]
          responses:
            "200": {description: events, content: {application/json: {schema: {type: object, properties: {events: {type: array, items: {$ref: '#/components/schemas/StoredEvent'}}}}}}}
      /v1/users/{id}:
        parameters: [{$ref: '#/components/parameters/userId'}]
        delete:
          summary: Forget a user (events, impressions, record, live history)
          security: [{apiKey: []}]
          responses:
            "200": {description: removed, content: {application/json: {schema: {type: object, properties: {user_id: {type: string}, deleted_events: {type: integer}}}}}}
      /v1/users/{id}/recommendations:
        parameters: [{$ref: '#/components/parameters/userId'}]
        get:
          summary: Recommendations for a user in a scene; unknown users get fallback results
          parameters:
            - $ref: '#/components/parameters/count'
            - {name: scene, in: query, schema: {type: string}, description: "home (default), product, cart or a configured scene"}
            - {name: item, in: query, schema: {type: string}, description: context items (product page item, cart items), comma-separated or repeated}
            - {name: category, in: query, schema: {type: string}, description: only these categories, comma-separated}
            - {name: min_price, in: query, schema: {type: number}}
            - {name: max_price, in: query, schema: {type: number}}
            - {name: exclude, in: query, schema: {type: string}, description: item ids never to return, comma-separated}
          responses:
            "200":
              description: exactly count items when the catalogue allows
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      recommendation_id: {type: string}
                      user_id: {type: string}
                      scene: {type: string}
                      model: {type: string, nullable: true, description: 'the model version behind the personal or similar items (als v3); under an experiment variant that names a model, that model (ease v2), or the main model while it has no version (als v3 (ease not trained yet)); null when no item came from a model'}
                      experiment: {type: string, nullable: true, description: the experiment that served the response (null outside one and in its holdout)}
                      variant: {type: string, nullable: true, description: the experiment's variant; send recommendation_id back with clicks and purchases}
                      items: {type: array, items: {$ref: '#/components/schemas/RecommendedItem'}}
            "400": {$ref: '#/components/responses/BadRequest'}
      /v1/popular:
        get:
          summary: Most popular available items (all time)
          parameters: [{$ref: '#/components/parameters/count'}, {name: category, in: query, schema: {type: string}}]
          responses:
            "200": {description: items, content: {application/json: {schema: {$ref: '#/components/schemas/ItemList'}}}}
      /v1/trending:
        get:
          summary: Trending available items (time-decayed activity)
          parameters: [{$ref: '#/components/parameters/count'}, {name: category, in: query, schema: {type: string}}]
          responses:
            "200": {description: items, content: {application/json: {schema: {$ref: '#/components/schemas/ItemList'}}}}
      /v1/experiments:
        get:
          summary: The configured experiments (definitions as in the configuration), whether each runs now, a bandit's current allocation
          responses:
            "200":
              description: experiments
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      experiments:
                        type: array
                        items:
                          type: object
                          properties:
                            definition: {type: object, description: 'id, scene, salt, variants, holdout, start, stop, control, policy'}
                            running: {type: boolean}
                            allocation: {type: array, items: {type: number}, nullable: true}
      /v1/experiments/{id}/report:
        get:
          summary: The experiment's report from the recorded impressions and the events carrying their recommendation ids
          parameters:
            - {name: id, in: path, required: true, schema: {type: string}}
            - {name: alpha, in: query, description: significance level of the intervals and tests, schema: {type: number, default: 0.05, exclusiveMinimum: 0, exclusiveMaximum: 1}}
          responses:
            "200":
              description: 'per variant: users, impressions, clicks, purchases, revenue, ctr, conversion, revenue_per_user, weighted, daily (cumulative users, conversion, ctr per UTC day); comparisons with the control; sample-ratio check'
              content:
                application/json:
                  schema: {type: object}
            "400": {$ref: '#/components/responses/BadRequest'}
            "404": {$ref: '#/components/responses/NotFound'}
      /v1/models/train:
        post:
          summary: Train a new version of the main model and of every model of running experiment variants in the background, one at a time; each is swapped in when ready
          security: [{apiKey: []}]
          responses:
            "202":
              description: training started
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      version: {type: integer, description: the main model's new version}
                      status: {type: string}
                      models: {type: array, description: 'the trainings started, the main model first: {model, version}', items: {type: object, properties: {model: {type: string}, version: {type: integer}}}}
            "409": {description: a training is already running, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
      /v1/models:
        get:
          summary: Model versions of every model (newest first), the main model's serving version and training status, the same per model of experiment variants
          security: [{apiKey: []}]
          responses:
            "200":
              description: versions
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      serving: {$ref: '#/components/schemas/ModelVersion'}
                      versions: {type: array, items: {$ref: '#/components/schemas/ModelVersion'}}
                      training: {type: object}
                      variant_models:
                        type: array
                        description: the models named by experiment variants, trained and served beside the main one
                        items:
                          type: object
                          properties:
                            model: {type: string}
                            serving: {allOf: [{$ref: '#/components/schemas/ModelVersion'}], nullable: true}
                            training: {type: object}
      /healthz:
        get:
          summary: Liveness
          responses: {"200": {description: alive}}
      /readyz:
        get:
          summary: 'Readiness (store reachable), with counts, the serving model and variant_models: [{model, serving}] (the models of experiment variants; serving null until trained)'
          responses: {"200": {description: ready}, "503": {description: store unavailable}}
      /metrics:
        get:
          summary: Prometheus metrics
          responses: {"200": {description: text exposition format}}
      /openapi.yaml:
        get:
          summary: This document
          responses: {"200": {description: OpenAPI 3 YAML}}
      /:
        get:
          summary: The web page
          responses: {"200": {description: HTML}}
    """#
}
