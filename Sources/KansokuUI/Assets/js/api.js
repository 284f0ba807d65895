// HTTP access to Kansoku's own server. Every call throws an ApiError whose
// message is what the server said (Prometheus' `error`, Loki's text, Jaeger's
// `errors[].msg`), so views can show it as is.

export class ApiError extends Error {
  constructor(message, { status = 0, url = "", type = "" } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.url = url;
    this.type = type;
  }
}

function withParams(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value === undefined || value === null || value === "") continue;
    for (const one of Array.isArray(value) ? value : [value]) query.append(key, String(one));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

async function errorFrom(response, url) {
  const text = await response.text();
  let message = text.trim() || `${response.status} ${response.statusText}`;
  let type = "";
  try {
    const body = JSON.parse(text);
    if (body && typeof body.error === "string") { message = body.error; type = body.errorType || ""; }
    else if (body && Array.isArray(body.errors) && body.errors.length) message = body.errors.map((e) => e.msg || e.message || String(e)).join("; ");
    else if (body && typeof body.message === "string") message = body.message;
  } catch { /* plain-text error, e.g. Loki's */ }
  return new ApiError(message, { status: response.status, url, type });
}

/**
 * GET `path` with query `params` (arrays repeat the key) and parse JSON.
 * `signal` aborts the request when a view is left or a newer query starts.
 */
export async function getJSON(path, params = {}, { signal } = {}) {
  const url = withParams(path, params);
  let response;
  try {
    response = await fetch(url, { signal, headers: { Accept: "application/json" } });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(`cannot reach the server: ${error.message}`, { url });
  }
  if (!response.ok) throw await errorFrom(response, url);
  return response.status === 204 ? null : response.json();
}

/** Sends `body` as JSON with `method` (PUT, POST, DELETE) and parses the JSON answer, if any. */
export async function sendJSON(method, path, body, { signal } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method, signal,
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(`cannot reach the server: ${error.message}`, { url: path });
  }
  if (!response.ok) throw await errorFrom(response, path);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** The Prometheus HTTP API; results are the `data` member of Prometheus' envelope. */
export const prometheus = {
  async query(query, time, options) {
    return (await getJSON("/api/v1/query", { query, time }, options)).data;
  },
  /** `start`/`end` in seconds, `step` in seconds. */
  async queryRange(query, start, end, step, options) {
    return (await getJSON("/api/v1/query_range", { query, start, end, step }, options)).data;
  },
  async labels(match, start, end, options) {
    return (await getJSON("/api/v1/labels", { "match[]": match, start, end }, options)).data;
  },
  async labelValues(name, match, start, end, options) {
    return (await getJSON(`/api/v1/label/${encodeURIComponent(name)}/values`, { "match[]": match, start, end }, options)).data;
  },
  async series(match, start, end, options) {
    return (await getJSON("/api/v1/series", { "match[]": match, start, end }, options)).data;
  },
  async metadata(options) {
    return (await getJSON("/api/v1/metadata", {}, options)).data;
  },
};

/** The Loki HTTP API; times are nanoseconds since the epoch, as strings or BigInts. */
export const loki = {
  async queryRange(params, options) {
    return (await getJSON("/loki/api/v1/query_range", params, options)).data;
  },
  async query(params, options) {
    return (await getJSON("/loki/api/v1/query", params, options)).data;
  },
  async labels(start, end, options) {
    return (await getJSON("/loki/api/v1/labels", { start, end }, options)).data || [];
  },
  async labelValues(name, start, end, options) {
    return (await getJSON(`/loki/api/v1/label/${encodeURIComponent(name)}/values`, { start, end }, options)).data || [];
  },
};

/** The Jaeger query API as Jaeger's UI calls it; results are the `data` member. */
export const jaeger = {
  async services(options) {
    return (await getJSON("/api/services", {}, options)).data || [];
  },
  async operations(service, options) {
    return (await getJSON(`/api/services/${encodeURIComponent(service)}/operations`, {}, options)).data || [];
  },
  async traces(params, options) {
    return (await getJSON("/api/traces", params, options)).data || [];
  },
  async trace(id, options) {
    return ((await getJSON(`/api/traces/${encodeURIComponent(id)}`, {}, options)).data || [])[0] || null;
  },
  async dependencies(endTs, lookback, options) {
    return (await getJSON("/api/dependencies", { endTs, lookback }, options)).data || [];
  },
};

/** Grafana Tempo's search API (under /tempo); `start`/`end` in Unix seconds. */
export const tempo = {
  async search(params, options) {
    return (await getJSON("/tempo/api/search", params, options)).traces || [];
  },
};

/** Kansoku's own trace, trace-logs, service-map and RED endpoints. */
export const kansoku = {
  /** Every span of a trace in the debug item shape (docs/CONTRACTS.md). */
  async traceSpans(id, options) {
    return (await getJSON(`/api/kansoku/v1/traces/${encodeURIComponent(id)}`, {}, options)).items || [];
  },
  /** Log lines of a trace as Loki streams; `start`/`end` in Unix nanoseconds (strings). */
  async traceLogs(id, params, options) {
    return (await getJSON(`/api/kansoku/v1/traces/${encodeURIComponent(id)}/logs`, params, options)).streams || [];
  },
  /** `{nodes, edges}` of spans started in [start, end] (Unix seconds). */
  async serviceMap(start, end, options) {
    return getJSON("/api/kansoku/v1/servicemap", { start, end }, options);
  },
  /** `{series}` of per-operation rate, errors and duration; `service` optional. */
  async red(params, options) {
    return getJSON("/api/kansoku/v1/red", params, options);
  },
};
