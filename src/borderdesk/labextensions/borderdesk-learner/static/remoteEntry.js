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

  function validateButtons(panel) {
    return Array.from(panel.toolbar.children()).filter(function (item) {
      return item.node.classList.contains("validate-button");
    });
  }

  function update(panel) {
    if (panel.isDisposed || !panel.context.model) {
      return;
    }
    const assignment = hasNbgraderCells(panel.context.model);
    panel.toggleClass("borderdesk-lesson", !assignment);
    for (const button of validateButtons(panel)) {
      button.setHidden(!assignment);
    }
  }

  const plugin = {
    id: "borderdesk-learner:validate-on-assignments-only",
    description: "Shows nbgrader's Validate button only on notebooks with nbgrader cells.",
    autoStart: true,
    activate: function (app) {
      app.docRegistry.addWidgetExtension("Notebook", {
        createNew: function (panel, context) {
          // Every extension's toolbar items exist once the document is loaded.
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
