// Starts Swagger UI on /docs (kept out of the page: the pages' policy allows no inline script).
window.SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
});
