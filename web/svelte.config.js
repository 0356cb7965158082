import adapter from '@sveltejs/adapter-node'

/** sha256 of the announcer's style attribute value in @sveltejs/kit 2.70. */
const ANNOUNCER_STYLE_HASH = 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='

/** @type {import('@sveltejs/kit').Config} */
const config = {
  kit: {
    adapter: adapter(),
    // Absolute asset paths: the client-only wallet pages live under /wallet/… and must find
    // /service-worker.js and /_app/… from any depth.
    paths: { relative: false },
    csp: {
      // 'auto': nonces for server-rendered pages, hashes for prerendered ones. SvelteKit's own
      // start-up script gets the nonce; nothing else may run inline.
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // Component styles are emitted as external .css files in production builds, so no
        // 'unsafe-inline'. The one inline style left is the style attribute of SvelteKit's route
        // announcer (.svelte-kit/generated/root.svelte), allowed by its hash alone. If a Kit
        // upgrade changes it, the e2e test fails on the CSP violation: update the hash.
        'style-src': ['self', 'unsafe-hashes', ANNOUNCER_STYLE_HASH],
        'img-src': ['self', 'data:'],
        'connect-src': ['self'],
        'frame-ancestors': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'object-src': ['none'],
      },
    },
  },
}

export default config
