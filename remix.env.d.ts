/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Loaders return plain objects or data() under Single Fetch; this makes their types follow.
declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
