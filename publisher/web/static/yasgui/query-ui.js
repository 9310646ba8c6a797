// The query UI: YASGUI on our own endpoint, one tab per question of queries/, nothing loaded
// from another host. The page gives its settings as JSON in #query-ui-config.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("query-ui-config").textContent);
  const endpoint = new URL(config.endpoint, document.baseURI).href;
  const Yasqe = Yasgui.Yasqe;

  // These two autocompleters ask lov.linkeddata.es as one types.
  Yasqe.defaults.autocompleters = Yasqe.defaults.autocompleters.filter((name) => name !== "property" && name !== "class");

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    // No persistence: the tabs are the library's at each visit, never stale copies from localStorage.
    persistenceId: null,
    autoAddOnInit: false,
    copyEndpointOnNewTab: true,
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    yasqe: {
      value: config.newTabQuery,
      // Prefix autocompletion offers our own prefixes (a data: URL is read without a request).
      prefixCcApi: "data:application/json," + encodeURIComponent(JSON.stringify(config.prefixes)),
    },
    yasr: {
      prefixes: config.prefixes,
      defaultPlugin: "table",
      pluginOrder: ["table", "barchart", "response"],
    },
  });

  const fromLink = yasgui.getTab() !== undefined; // a shared link's query (#query=...) is a tab already and stays in front
  config.examples.forEach((example, i) => {
    yasgui.addTab(i === 0 && !fromLink, {
      name: example.title,
      yasqe: { value: example.query, editorHeight: "220px" },
      // The table's simple view: values without their datatype, IRIs without <>.
      yasr: { settings: { pluginsConfig: { table: { compact: true } } } },
    });
  });
  window.queryUi = yasgui; // for the browser test and the curious
})();
