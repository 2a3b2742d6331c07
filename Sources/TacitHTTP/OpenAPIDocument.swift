/// The OpenAPI 3.0 description of the HTTP API, served at `/openapi.yaml`.
///
/// It declares what the server answers, field by field: nullable fields, every response field,
/// every enforced bound (counts, limits, id length, value and price ranges) and every error
/// status with the JSON error body. Checks: `OpenAPIRoutesTests` (every path and method here is
/// a real route and every route is documented here), and `scripts/fuzz.sh`, which parses it with
/// a real YAML parser, validates it as OpenAPI 3 and runs Schemathesis against a live server.
///
/// YAML traps: a plain scalar must not contain `": "` or `" #"`, and inside a flow mapping
/// (`{...}`) not `,`, `[`, `]`, `{` or `}` either; quote such text ('single quotes', `''` for
/// a quote) or use a block scalar (`|`).
enum OpenAPIDocument {
    static let yaml = #"""
    openapi: 3.0.3
    info:
      title: Tacit recommendation service
      version: "1"
      description: |
        Events in, recommendations out.

        Access: writes (POST, PUT, DELETE), /v1/models, /v1/users and /v1/stats/overview need the X-API-Key
        header when the server has an API key (401 otherwise); reads need it too unless reads
        are public (serving.public_reads, the default).

        An empty query parameter (count=) is the same as an absent one.

        Errors are JSON, {"error": "<message naming the field>", "status": <code>}:
        400 for invalid input (every /v1 route), 401 for a missing or wrong key, 404 for an
        unknown id, 405 with an Allow header for a known path with a method it does not have,
        409 for a conflict, 413 for a body over serving.max_body_bytes (default 1 MiB), 414 for
        a request URI over 8 KiB, 503 with Retry-After when the store is unreachable.
        HEAD is answered like GET, without a body.

        Ids (user, item, event, recommendation) are non-empty, valid UTF-8, at most 256 bytes
        in UTF-8 and without control characters (U+0000-U+001F, U+007F).
        Timestamps are seconds since 1970 (milliseconds when above 1e11) or ISO 8601 text;
        ones before 1970 or more than one day in the future are refused (400).
    components:
      securitySchemes:
        apiKey: {type: apiKey, in: header, name: X-API-Key}
      parameters:
        count:
          name: count
          in: query
          description: how many items (default per scene, usually 10; at most the scene's max_count, 100 unless configured)
          allowEmptyValue: true
          schema: {type: integer, minimum: 1, maximum: 100}
        userId:
          name: id
          in: path
          required: true
          schema: {$ref: '#/components/schemas/Id'}
        itemId:
          name: id
          in: path
          required: true
          schema: {$ref: '#/components/schemas/Id'}
      headers:
        Retry-After:
          description: seconds to wait before trying again
          schema: {type: integer, minimum: 0}
      schemas:
        Id:
          type: string
          minLength: 1
          maxLength: 256
          pattern: '^[^\u0000-\u001F\u007F-\u009F]+$'
          description: non-empty, at most 256 bytes in UTF-8, no control characters
        Error:
          type: object
          required: [error, status]
          additionalProperties: false
          properties:
            error: {type: string}
            status: {type: integer, minimum: 400, maximum: 599}
        Timestamp:
          description: seconds since 1970 (milliseconds when above 1e11) or ISO 8601 text; from 1970 to one day after the receive time
          oneOf:
            - {type: number, minimum: 0, maximum: 253402300799999, description: 'below 1e11 seconds, above it milliseconds; at most year 9999 in milliseconds'}
            - {type: string, format: date-time}
        Event:
          type: object
          required: [user_id, item_id, kind]
          additionalProperties: false
          properties:
            user_id: {$ref: '#/components/schemas/Id'}
            item_id: {$ref: '#/components/schemas/Id'}
            kind: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\u0000-\u001F\u007F-\u009F]+$', description: 'view, click, add_to_cart, purchase or a custom kind'}
            timestamp:
              allOf: [{$ref: '#/components/schemas/Timestamp'}]
              nullable: true
              description: default (absent or null) the receive time
            value: {type: number, minimum: -1000000000, maximum: 1000000000, nullable: true, description: 'finite; e.g. a rating, a dwell time or a price paid'}
            event_id:
              allOf: [{$ref: '#/components/schemas/Id'}]
              nullable: true
              description: idempotency key; a repeated id is stored once
            recommendation_id:
              allOf: [{$ref: '#/components/schemas/Id'}]
              nullable: true
              description: the recommendation response this event follows
        EventBatch:
          type: object
          required: [events]
          additionalProperties: false
          properties:
            events: {type: array, minItems: 1, maxItems: 1000, items: {$ref: '#/components/schemas/Event'}, description: 'at most serving.max_events_per_request (default 1000)'}
        StoredEvent:
          type: object
          required: [sequence, user_id, item_id, kind, timestamp]
          additionalProperties: false
          properties:
            sequence: {type: integer, description: the store's order of arrival}
            event_id: {type: string}
            user_id: {type: string}
            item_id: {type: string}
            kind: {type: string}
            timestamp: {type: integer, description: seconds since 1970}
            value: {type: number}
            recommendation_id: {type: string}
        StoredImpression:
          type: object
          required: [recommendation_id, user_id, scene, model, items, timestamp]
          additionalProperties: false
          description: one recommendation response as shown to the user
          properties:
            recommendation_id: {type: string}
            user_id: {type: string}
            scene: {type: string}
            model: {type: string}
            items: {type: array, items: {type: string}}
            timestamp: {type: integer, description: seconds since 1970}
            experiment: {type: string}
            variant: {type: string}
            propensity: {type: number}
        AttributeValue:
          oneOf: [{type: string, pattern: '^[^\u0000]*$'}, {type: number}, {type: boolean}]
        ItemUpdate:
          type: object
          additionalProperties: false
          description: an item's metadata as sent (PUT /v1/items/{id}; item_id, when sent, must equal the id in the path); null is the same as absent
          properties:
            item_id: {type: string, nullable: true, minLength: 1, maxLength: 256, pattern: '^[^\u0000-\u001F\u007F-\u009F]+$', description: 'an Id; null is the same as absent'}
            title: {type: string, nullable: true, pattern: '^[^\u0000]*$'}
            category: {type: string, nullable: true, pattern: '^[^\u0000]*$'}
            brand: {type: string, nullable: true, pattern: '^[^\u0000]*$'}
            price: {type: number, minimum: 0, maximum: 1000000000000, nullable: true}
            tags: {type: array, items: {type: string, pattern: '^[^\u0000]*$'}, nullable: true}
            available: {type: boolean, nullable: true, description: default true}
            created_at: {type: number, minimum: 0, maximum: 253402300799, nullable: true, description: 'seconds since 1970 (a fraction is floored)'}
            attributes: {type: object, additionalProperties: {$ref: '#/components/schemas/AttributeValue'}, nullable: true, description: 'keys are text without NUL; numbers and booleans are stored as text'}
        ItemInput:
          description: an item with its id (POST /v1/items)
          allOf:
            - $ref: '#/components/schemas/ItemUpdate'
            - required: [item_id]
              properties:
                item_id: {$ref: '#/components/schemas/Id'}
        Item:
          type: object
          required: [item_id, tags, available, attributes]
          additionalProperties: false
          description: a stored item; absent fields were never set
          properties:
            item_id: {type: string}
            title: {type: string}
            category: {type: string}
            brand: {type: string}
            price: {type: number}
            tags: {type: array, items: {type: string}}
            available: {type: boolean}
            created_at: {type: integer}
            attributes: {type: object, additionalProperties: {type: string}}
        RecommendedItem:
          type: object
          required: [item_id, score, source, explanation, title, category, price, available]
          additionalProperties: false
          properties:
            item_id: {type: string}
            score: {type: number, nullable: true, description: null only if the score is not finite}
            source: {type: string, enum: [personal, similar, complementary, trending, popular, content, repeat]}
            explanation: {type: string}
            title: {type: string, nullable: true}
            category: {type: string, nullable: true}
            price: {type: number, nullable: true}
            available: {type: boolean}
        ItemList:
          type: object
          required: [items]
          additionalProperties: false
          properties: {items: {type: array, items: {$ref: '#/components/schemas/RecommendedItem'}}}
        Recommendations:
          type: object
          required: [recommendation_id, user_id, scene, model, experiment, variant, items]
          additionalProperties: false
          properties:
            recommendation_id: {type: string}
            user_id: {type: string}
            scene: {type: string}
            model: {type: string, nullable: true, description: 'the model version behind the personal or similar items (als v3); under an experiment variant that names a model, that model (ease v2), or the main model while it has no version (als v3 (ease not trained yet)); null when no item came from a model'}
            experiment: {type: string, nullable: true, description: the experiment that served the response (null outside one and in its holdout)}
            variant: {type: string, nullable: true, description: the experiment's variant; send recommendation_id back with clicks and purchases}
            items: {type: array, items: {$ref: '#/components/schemas/RecommendedItem'}}
        ModelVersion:
          type: object
          required: [version, model, parameters, created_at, last_sequence, events, users, items, fit_seconds, metrics, serving]
          additionalProperties: false
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
            retrieval:
              type: object
              description: how the loaded version retrieves each user's items (only on a serving version)
              required: [kind]
              additionalProperties: false
              properties:
                kind: {type: string, enum: [exact, index], description: 'exact: every item scored; index: the approximate maximum-inner-product index (retrieval.mode)'}
                leaves: {type: integer}
                items: {type: integer}
                probes: {type: integer, description: leaves scored per request}
                rescore: {type: integer, description: items re-scored exactly per request}
                similar_items: {type: boolean, description: whether similar items (cosine) have an index of their own}
                bytes: {type: integer, description: both indexes}
                build_seconds: {type: number, description: both indexes}
        Training:
          type: object
          required: [in_progress]
          additionalProperties: false
          properties:
            in_progress: {type: boolean}
            last_started: {type: number, description: seconds since 1970}
            last_finished: {type: number, description: seconds since 1970}
            last_error: {type: string}
        SearchTrial:
          type: object
          required: [index, model, parameters, metrics, fit_seconds, seconds, finished_at]
          additionalProperties: false
          properties:
            index: {type: integer, minimum: 1}
            model: {type: string}
            parameters: {type: object, additionalProperties: {type: string}}
            metrics: {type: object, additionalProperties: {type: number}}
            value: {type: number, description: the searched metric; absent when the trial failed}
            fit_seconds: {type: number, minimum: 0}
            seconds: {type: number, minimum: 0, description: fit and evaluation}
            finished_at: {type: number, description: seconds since 1970}
            error: {type: string}
        Search:
          type: object
          description: the background model search (training.search), present when it is on
          required: [phase, model, models, metric, budget_seconds, spent_seconds, holdout_users, trials]
          additionalProperties: false
          properties:
            phase: {type: string, enum: [waiting, running, finished, failed]}
            model: {type: string, description: the configured model (the baseline's)}
            models: {type: array, items: {type: string}, description: the models searched with the configured one first}
            metric: {type: string}
            budget_seconds: {type: number}
            max_trials: {type: integer}
            spent_seconds: {type: number}
            holdout_users: {type: integer, minimum: 0}
            baseline: {$ref: '#/components/schemas/SearchTrial'}
            best: {$ref: '#/components/schemas/SearchTrial'}
            adopted_model: {type: string, description: the model the search chose (the configured one or another)}
            adopted_parameters: {type: object, additionalProperties: {type: string}}
            applied_version: {type: integer}
            error: {type: string}
            trials: {type: array, items: {$ref: '#/components/schemas/SearchTrial'}}
      responses:
        BadRequest:
          description: invalid input (the message names the field)
          content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
        Unauthorized:
          description: missing or wrong X-API-Key
          content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
        NotFound:
          description: unknown id
          content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
        MethodNotAllowed:
          description: the path exists but not with this method
          headers:
            Allow: {description: the methods of the path, required: true, schema: {type: string}}
          content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
        Conflict:
          description: a training is already running, or there are no events to train on
          content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
        PayloadTooLarge:
          description: body larger than serving.max_body_bytes (default 1 MiB)
          content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
        URITooLong:
          description: request URI over 8 KiB
          content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
        Unavailable:
          description: the store is unreachable
          headers:
            Retry-After: {$ref: '#/components/headers/Retry-After'}
          content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
    paths:
      /v1/events:
        post:
          summary: 'Record one event, or a batch of up to 1000 ({"events": [...]}); durable when answered 200'
          security: [{apiKey: []}]
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  oneOf:
                    - $ref: '#/components/schemas/Event'
                    - $ref: '#/components/schemas/EventBatch'
          responses:
            "200":
              description: stored (duplicates of a stored event_id are acknowledged, not stored again)
              content:
                application/json:
                  schema:
                    type: object
                    required: [accepted, duplicates, sequences]
                    additionalProperties: false
                    properties:
                      accepted: {type: integer, minimum: 0}
                      duplicates: {type: integer, minimum: 0}
                      sequences: {type: array, items: {type: integer}}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "413": {$ref: '#/components/responses/PayloadTooLarge'}
            "414": {$ref: '#/components/responses/URITooLong'}
            "503": {$ref: '#/components/responses/Unavailable'}
      /v1/items:
        get:
          summary: Search the catalogue (id, title, category, brand, tags)
          security: [{}, {apiKey: []}]
          parameters:
            - {name: search, in: query, schema: {type: string, pattern: '^[^\u0000]*$'}, description: text to look for; empty or absent lists the catalogue}
            - {name: limit, in: query, allowEmptyValue: true, schema: {type: integer, minimum: 1, maximum: 1000, default: 50}}
            - {name: after, in: query, allowEmptyValue: true, schema: {$ref: '#/components/schemas/Id'}, description: 'the next page: the matches after this item id (the previous answer''s next_after)'}
          responses:
            "200":
              description: matching items, by id (byte order)
              content:
                application/json:
                  schema:
                    type: object
                    required: [items, next_after]
                    additionalProperties: false
                    properties:
                      items: {type: array, items: {$ref: '#/components/schemas/Item'}}
                      next_after: {type: string, nullable: true, description: pass as after for the next page; null on the last page}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "414": {$ref: '#/components/responses/URITooLong'}
            "503": {$ref: '#/components/responses/Unavailable'}
        post:
          summary: 'Insert or replace many items ({"items": [...]}, each with item_id)'
          security: [{apiKey: []}]
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [items]
                  additionalProperties: false
                  properties: {items: {type: array, maxItems: 10000, items: {$ref: '#/components/schemas/ItemInput'}}}
          responses:
            "200":
              description: upserted
              content:
                application/json:
                  schema:
                    type: object
                    required: [upserted]
                    additionalProperties: false
                    properties: {upserted: {type: integer, minimum: 0}}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "413": {$ref: '#/components/responses/PayloadTooLarge'}
            "414": {$ref: '#/components/responses/URITooLong'}
            "503": {$ref: '#/components/responses/Unavailable'}
      /v1/items/{id}:
        parameters: [{$ref: '#/components/parameters/itemId'}]
        get:
          summary: One item's metadata
          security: [{}, {apiKey: []}]
          responses:
            "200": {description: the item, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "404": {$ref: '#/components/responses/NotFound'}
            "414": {$ref: '#/components/responses/URITooLong'}
            "503": {$ref: '#/components/responses/Unavailable'}
        put:
          summary: Insert or replace one item (recommendable at once)
          security: [{apiKey: []}]
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/ItemUpdate'}
          responses:
            "200": {description: the stored item, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "413": {$ref: '#/components/responses/PayloadTooLarge'}
            "414": {$ref: '#/components/responses/URITooLong'}
            "503": {$ref: '#/components/responses/Unavailable'}
      /v1/items/{id}/similar:
        parameters: [{$ref: '#/components/parameters/itemId'}]
        get:
          summary: Items similar to this one (model neighbours; shared attributes for new items)
          security: [{}, {apiKey: []}]
          parameters: [{$ref: '#/components/parameters/count'}]
          responses:
            "200": {description: similar items, content: {application/json: {schema: {$ref: '#/components/schemas/ItemList'}}}}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "404": {$ref: '#/components/responses/NotFound'}
            "414": {$ref: '#/components/responses/URITooLong'}
      /v1/users/{id}/events:
        parameters: [{$ref: '#/components/parameters/userId'}]
        get:
          summary: The user's stored events in time order (by timestamp, then sequence), oldest first; none for an unknown user
          security: [{}, {apiKey: []}]
          parameters:
            - {name: limit, in: query, allowEmptyValue: true, schema: {type: integer, minimum: 1, maximum: 100000}, description: 'only the newest N (default: all)'}
            - {name: offset, in: query, allowEmptyValue: true, schema: {type: integer, minimum: 0, maximum: 1000000000, default: 0}, description: 'skip the newest N first: with limit, pages from the newest back (the previous answer''s next_offset)'}
          responses:
            "200":
              description: events
              content:
                application/json:
                  schema:
                    type: object
                    required: [events, next_offset]
                    additionalProperties: false
                    properties:
                      events: {type: array, items: {$ref: '#/components/schemas/StoredEvent'}}
                      next_offset: {type: integer, nullable: true, description: 'the offset of the page of older events; null when there are none (always without limit)'}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "414": {$ref: '#/components/responses/URITooLong'}
            "503": {$ref: '#/components/responses/Unavailable'}
      /v1/users/{id}:
        parameters: [{$ref: '#/components/parameters/userId'}]
        put:
          summary: Insert or replace a user's attributes (a model trained with user features ranks the user from them before any event)
          security: [{apiKey: []}]
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [attributes]
                  additionalProperties: false
                  properties:
                    attributes:
                      type: object
                      description: attribute name to value; numbers and booleans are stored as text
                      additionalProperties: {oneOf: [{type: string}, {type: number}, {type: boolean}]}
          responses:
            "200":
              description: the stored record
              content:
                application/json:
                  schema:
                    type: object
                    required: [user_id, attributes]
                    additionalProperties: false
                    properties: {user_id: {type: string}, attributes: {type: object, additionalProperties: {type: string}}}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "413": {$ref: '#/components/responses/PayloadTooLarge'}
            "414": {$ref: '#/components/responses/URITooLong'}
            "503": {$ref: '#/components/responses/Unavailable'}
        delete:
          summary: Forget a user (events, impressions, record, live history)
          security: [{apiKey: []}]
          responses:
            "200":
              description: removed (0 events for an unknown user)
              content:
                application/json:
                  schema:
                    type: object
                    required: [user_id, deleted_events]
                    additionalProperties: false
                    properties: {user_id: {type: string}, deleted_events: {type: integer, minimum: 0}}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "414": {$ref: '#/components/responses/URITooLong'}
            "503": {$ref: '#/components/responses/Unavailable'}
      /v1/users/{id}/export:
        parameters: [{$ref: '#/components/parameters/userId'}]
        get:
          summary: Everything stored about a user (record, events, impressions); always behind the API key
          security: [{apiKey: []}]
          responses:
            "200":
              description: the user's data (empty lists for an unknown user; attributes only when a user record is stored)
              content:
                application/json:
                  schema:
                    type: object
                    required: [user_id, events, impressions]
                    additionalProperties: false
                    properties:
                      user_id: {type: string}
                      attributes: {type: object, additionalProperties: {type: string}}
                      events: {type: array, items: {$ref: '#/components/schemas/StoredEvent'}}
                      impressions: {type: array, items: {$ref: '#/components/schemas/StoredImpression'}}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "414": {$ref: '#/components/responses/URITooLong'}
            "503": {$ref: '#/components/responses/Unavailable'}
      /v1/users/{id}/recommendations:
        parameters: [{$ref: '#/components/parameters/userId'}]
        get:
          summary: Recommendations for a user in a scene; unknown users get fallback results
          security: [{}, {apiKey: []}]
          parameters:
            - $ref: '#/components/parameters/count'
            - {name: scene, in: query, allowEmptyValue: true, schema: {type: string, enum: [home, product, cart]}, description: 'home (default), product, cart or a configured scene; another name answers 400'}
            - {name: item, in: query, schema: {type: string, pattern: '^[^\u0000-\u001F\u007F-\u009F]*$'}, description: 'context items (product page item, cart items), comma-separated or repeated'}
            - {name: category, in: query, schema: {type: string, pattern: '^[^\u0000]*$'}, description: 'only these categories, comma-separated'}
            - {name: min_price, in: query, allowEmptyValue: true, schema: {type: number}, description: 'at most max_price (400 otherwise)'}
            - {name: max_price, in: query, allowEmptyValue: true, schema: {type: number}}
            - {name: exclude, in: query, schema: {type: string, pattern: '^[^\u0000-\u001F\u007F-\u009F]*$'}, description: 'item ids never to return, comma-separated'}
          responses:
            "200":
              description: exactly count items when the catalogue allows
              content: {application/json: {schema: {$ref: '#/components/schemas/Recommendations'}}}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "414": {$ref: '#/components/responses/URITooLong'}
      /v1/users/{id}/rank:
        parameters: [{$ref: '#/components/parameters/userId'}]
        post:
          summary: The user's personalized order of the given items, with the model's scores (history items included)
          security: [{}, {apiKey: []}]
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [items]
                  additionalProperties: false
                  properties:
                    items: {type: array, minItems: 1, maxItems: 1000, uniqueItems: true, items: {$ref: '#/components/schemas/Id'}}
          responses:
            "200":
              description: 'every given item once: the scored ones best first, then those that could not be scored (score null: unknown to the catalogue, or nothing to score them by) in the order given; ranked_by popularity when the model cannot rank this user'
              content:
                application/json:
                  schema:
                    type: object
                    required: [user_id, ranked_by, items]
                    additionalProperties: false
                    properties:
                      user_id: {type: string}
                      model: {type: string, description: 'the model version that scored the items (absent when ranked by popularity)'}
                      ranked_by: {type: string, enum: [model, popularity]}
                      items:
                        type: array
                        items:
                          type: object
                          required: [item_id, score]
                          additionalProperties: false
                          properties: {item_id: {type: string}, score: {type: number, nullable: true}}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "413": {$ref: '#/components/responses/PayloadTooLarge'}
            "414": {$ref: '#/components/responses/URITooLong'}
      /v1/popular:
        get:
          summary: Most popular available items (all time)
          security: [{}, {apiKey: []}]
          parameters: [{$ref: '#/components/parameters/count'}, {name: category, in: query, schema: {type: string, pattern: '^[^\u0000]*$'}}]
          responses:
            "200": {description: items, content: {application/json: {schema: {$ref: '#/components/schemas/ItemList'}}}}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "414": {$ref: '#/components/responses/URITooLong'}
      /v1/trending:
        get:
          summary: Trending available items (time-decayed activity)
          security: [{}, {apiKey: []}]
          parameters: [{$ref: '#/components/parameters/count'}, {name: category, in: query, schema: {type: string, pattern: '^[^\u0000]*$'}}]
          responses:
            "200": {description: items, content: {application/json: {schema: {$ref: '#/components/schemas/ItemList'}}}}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "414": {$ref: '#/components/responses/URITooLong'}
      /v1/experiments:
        get:
          summary: The configured experiments (definitions as in the configuration), whether each runs now, a bandit's current allocation
          security: [{}, {apiKey: []}]
          responses:
            "200":
              description: experiments
              content:
                application/json:
                  schema:
                    type: object
                    required: [experiments]
                    additionalProperties: false
                    properties:
                      experiments:
                        type: array
                        items:
                          type: object
                          required: [definition, running]
                          additionalProperties: false
                          properties:
                            definition: {type: object, description: 'id, scene, salt, variants, holdout, start, stop, control, policy'}
                            running: {type: boolean}
                            allocation: {type: array, items: {type: number}, description: a bandit's current split (absent for a fixed one)}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "414": {$ref: '#/components/responses/URITooLong'}
      /v1/experiments/{id}/report:
        get:
          summary: The experiment's report from the recorded impressions and the events carrying their recommendation ids
          security: [{}, {apiKey: []}]
          parameters:
            - {name: id, in: path, required: true, schema: {$ref: '#/components/schemas/Id'}, example: home-ranker}
            - {name: alpha, in: query, allowEmptyValue: true, description: significance level of the intervals and tests, schema: {type: number, default: 0.05, minimum: 0.000000001, maximum: 1, exclusiveMaximum: true}}
          responses:
            "200":
              description: 'per variant: users, impressions, clicks, purchases, revenue, ctr, conversion, revenue_per_user, weighted, daily (cumulative users, conversion, ctr per UTC day); comparisons with the control; sample-ratio check'
              content:
                application/json:
                  schema: {type: object}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "404": {$ref: '#/components/responses/NotFound'}
            "414": {$ref: '#/components/responses/URITooLong'}
            "503": {$ref: '#/components/responses/Unavailable'}
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
                    required: [version, status, models]
                    additionalProperties: false
                    properties:
                      version: {type: integer, description: the main model's new version}
                      status: {type: string, enum: [training]}
                      models:
                        type: array
                        description: 'the trainings started, the main model first'
                        items:
                          type: object
                          required: [model, version]
                          additionalProperties: false
                          properties: {model: {type: string}, version: {type: integer}}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "409": {$ref: '#/components/responses/Conflict'}
            "414": {$ref: '#/components/responses/URITooLong'}
            "503": {$ref: '#/components/responses/Unavailable'}
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
                    required: [versions, training, variant_models]
                    additionalProperties: false
                    properties:
                      serving: {$ref: '#/components/schemas/ModelVersion'}
                      versions: {type: array, items: {$ref: '#/components/schemas/ModelVersion'}}
                      training: {$ref: '#/components/schemas/Training'}
                      search: {$ref: '#/components/schemas/Search'}
                      variant_models:
                        type: array
                        description: the models named by experiment variants, trained and served beside the main one
                        items:
                          type: object
                          required: [model, training]
                          additionalProperties: false
                          properties:
                            model: {type: string}
                            serving: {$ref: '#/components/schemas/ModelVersion'}
                            training: {$ref: '#/components/schemas/Training'}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "414": {$ref: '#/components/responses/URITooLong'}
            "503": {$ref: '#/components/responses/Unavailable'}
      /v1/users:
        get:
          summary: A random sample of users with events in memory (the page's Random user); always behind the API key
          security: [{apiKey: []}]
          parameters:
            - {name: count, in: query, allowEmptyValue: true, schema: {type: integer, minimum: 1, maximum: 100, default: 1}, description: how many distinct users (fewer when fewer are known)}
            - {name: seed, in: query, allowEmptyValue: true, schema: {type: integer, minimum: 0, maximum: 9223372036854775807}, description: 'the same seed draws the same users from the same state (default: a fresh one)'}
          responses:
            "200":
              description: user ids
              content:
                application/json:
                  schema:
                    type: object
                    required: [users]
                    additionalProperties: false
                    properties: {users: {type: array, maxItems: 100, items: {type: string}}}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "409":
              description: user ids are stored pseudonymized (privacy.pseudonymize_user_ids), so they cannot be listed
              content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
            "414": {$ref: '#/components/responses/URITooLong'}
      /v1/stats/overview:
        get:
          summary: 'The operator''s overview behind /dashboard: events and active users per hour or day, sizes, model metrics per version, request rate and latency'
          security: [{apiKey: []}]
          parameters:
            - {name: bucket, in: query, allowEmptyValue: true, schema: {type: string, enum: [hour, day], default: hour}, description: bucket width (UTC hours or days)}
            - {name: since, in: query, allowEmptyValue: true, schema: {type: integer, minimum: 0, maximum: 253402300799}, description: 'seconds since 1970, rounded down to its bucket (default: 48 hours or 30 days before until)'}
            - {name: until, in: query, allowEmptyValue: true, schema: {type: integer, minimum: 0, maximum: 253402300799}, description: 'seconds since 1970, not before since; its bucket is the last (default: now). At most 1000 buckets are answered: an earlier since moves forward'}
          responses:
            "200":
              description: the overview
              content:
                application/json:
                  schema:
                    type: object
                    required: [bucket, bucket_seconds, since, until, kinds, activity, totals, models, requests]
                    additionalProperties: false
                    properties:
                      bucket: {type: string, enum: [hour, day]}
                      bucket_seconds: {type: integer, enum: [3600, 86400]}
                      since: {type: integer, description: 'the first bucket''s start (since rounded down, or moved forward to keep 1000 buckets)'}
                      until: {type: integer, description: the end of the last bucket (exclusive)}
                      kinds: {type: array, items: {type: string}, description: 'the event kinds with events in the range, sorted'}
                      activity:
                        type: array
                        maxItems: 1000
                        description: every bucket from since to until, oldest first (empty ones too)
                        items:
                          type: object
                          required: [start, events, users, kinds]
                          additionalProperties: false
                          properties:
                            start: {type: integer}
                            events: {type: integer, minimum: 0}
                            users: {type: integer, minimum: 0, description: distinct users with events in the bucket}
                            kinds: {type: object, additionalProperties: {type: integer, minimum: 1}, description: events per kind}
                      totals:
                        type: object
                        required: [events, items, catalog_items, users, events_in_range]
                        additionalProperties: false
                        properties:
                          events: {type: integer, minimum: 0, description: events stored}
                          items: {type: integer, minimum: 0, description: items stored with metadata}
                          catalog_items: {type: integer, minimum: 0, description: items the live catalogue knows}
                          users: {type: integer, minimum: 0, description: users with events in memory}
                          events_in_range: {type: integer, minimum: 0}
                      models: {type: array, items: {$ref: '#/components/schemas/ModelVersion'}, description: 'every stored version, oldest first, with its holdout metrics (ndcg@10, ...)'}
                      search: {$ref: '#/components/schemas/Search'}
                      requests:
                        type: object
                        required: [minutes, routes]
                        additionalProperties: false
                        properties:
                          minutes:
                            type: array
                            description: the last 60 minutes, oldest first
                            items:
                              type: object
                              required: [start, requests, errors, client_errors, mean_seconds, p95_seconds]
                              additionalProperties: false
                              properties:
                                start: {type: integer}
                                requests: {type: integer, minimum: 0}
                                errors: {type: integer, minimum: 0, description: 5xx responses}
                                client_errors: {type: integer, minimum: 0, description: 4xx responses}
                                mean_seconds: {type: number, nullable: true}
                                p95_seconds: {type: number, nullable: true, description: the upper bound of the histogram bucket holding the 95th percentile; null above 2.5 s or without requests}
                          routes:
                            type: array
                            description: every route since the service started, busiest first
                            items:
                              type: object
                              required: [route, method, requests, errors, client_errors, mean_seconds, p95_seconds]
                              additionalProperties: false
                              properties:
                                route: {type: string}
                                method: {type: string}
                                requests: {type: integer, minimum: 0}
                                errors: {type: integer, minimum: 0}
                                client_errors: {type: integer, minimum: 0}
                                mean_seconds: {type: number, nullable: true}
                                p95_seconds: {type: number, nullable: true}
            "400": {$ref: '#/components/responses/BadRequest'}
            "401": {$ref: '#/components/responses/Unauthorized'}
            "414": {$ref: '#/components/responses/URITooLong'}
            "503": {$ref: '#/components/responses/Unavailable'}
      /healthz:
        get:
          summary: Liveness
          responses:
            "200":
              description: alive
              content:
                application/json:
                  schema: {type: object, required: [status], additionalProperties: false, properties: {status: {type: string, enum: [ok]}}}
      /readyz:
        get:
          summary: Readiness (store reachable), with counts, the serving model and the models of experiment variants
          responses:
            "200":
              description: ready
              content:
                application/json:
                  schema:
                    type: object
                    required: [status, store, events, items, users, model, variant_models]
                    additionalProperties: false
                    properties:
                      status: {type: string, enum: [ready]}
                      store: {type: string}
                      events: {type: integer, minimum: 0}
                      items: {type: integer, minimum: 0}
                      users: {type: integer, minimum: 0}
                      model: {type: string, nullable: true, description: the serving model (als v3); null before the first training}
                      variant_models:
                        type: array
                        items:
                          type: object
                          required: [model, serving]
                          additionalProperties: false
                          properties: {model: {type: string}, serving: {type: string, nullable: true, description: null until trained}}
            "503":
              description: store unavailable
              headers:
                Retry-After: {$ref: '#/components/headers/Retry-After'}
              content:
                application/json:
                  schema:
                    type: object
                    required: [status, error]
                    properties: {status: {type: string, enum: [unavailable]}, error: {type: string}}
      /metrics:
        get:
          summary: Prometheus metrics
          responses: {"200": {description: text exposition format, content: {text/plain: {schema: {type: string}}}}}
      /openapi.yaml:
        get:
          summary: This document
          responses: {"200": {description: OpenAPI 3 YAML, content: {application/yaml: {schema: {type: string}}}}}
      /dashboard:
        get:
          summary: 'The operator''s dashboard (charts of GET /v1/stats/overview)'
          responses: {"200": {description: HTML, content: {text/html: {schema: {type: string}}}}}
      /:
        get:
          summary: The web page
          responses: {"200": {description: HTML, content: {text/html: {schema: {type: string}}}}}
    """#
}
