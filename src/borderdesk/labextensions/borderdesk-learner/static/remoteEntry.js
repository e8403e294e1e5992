// BorderDesk's JupyterLab extension, written by hand as a module-federation container
// (the interface JupyterLab loads: window._JUPYTERLAB[name] with init() and get()).
// It imports nothing from JupyterLab, so it needs no build step and no node_modules:
// the plugin only uses the application object JupyterLab passes to activate().
//
// What it does: nbgrader adds its Validate button to every notebook's toolbar. It
// means something only in an assignment, so the button is hidden on notebooks that
// have no nbgrader cells (the lessons) and shown as soon as one has (exercises/,
// solutions/, fetched assignments, an instructor's new assignment).
(function () {
  "use strict";

  function hasNbgraderCells(model) {
    for (const cell of model.cells) {
      if (cell.getMetadata("nbgrader")) {
        return true;
      }
    }
    return false;
  }

  // nbgrader's button is a React widget whose class sits on an inner element, rendered
  // later; a style rule keyed on the panel's class hides it whenever it appears.
  const STYLE = [
    ".borderdesk-lesson .jp-Toolbar-item:has(.validate-button),",
    ".borderdesk-lesson .validate-button { display: none !important; }",
  ].join("\n");

  function addStyle() {
    const style = document.createElement("style");
    style.id = "borderdesk-learner-style";
    style.textContent = STYLE;
    document.head.appendChild(style);
  }

  function update(panel) {
    if (panel.isDisposed || !panel.context.model) {
      return;
    }
    panel.toggleClass("borderdesk-lesson", !hasNbgraderCells(panel.context.model));
  }

  const plugin = {
    id: "borderdesk-learner:validate-on-assignments-only",
    description: "Shows nbgrader's Validate button only on notebooks with nbgrader cells.",
    autoStart: true,
    activate: function (app) {
      addStyle();
      app.docRegistry.addWidgetExtension("Notebook", {
        createNew: function (panel, context) {
          context.ready.then(function () {
            update(panel);
            context.model.contentChanged.connect(function () {
              update(panel);
            });
          });
        },
      });
    },
  };

  const modules = {
    "./extension": function () {
      return { __esModule: true, default: [plugin] };
    },
  };

  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB["borderdesk-learner"] = {
    init: function () {},
    get: function (name) {
      if (!(name in modules)) {
        return Promise.reject(new Error('Module "' + name + '" does not exist in container.'));
      }
      return Promise.resolve(modules[name]);
    },
  };
})();
