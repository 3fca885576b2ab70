// Swagger UI over this api's own spec; a separate file because the page's policy allows no inline script. Named
// as the webjar's own start script, which this one shadows (it would load a demo spec from the internet).
window.ui = SwaggerUIBundle({
  url: "/openapi.yml",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: false,
  tryItOutEnabled: false,
  validatorUrl: "none"
});
