// BorderDesk's JupyterLab extension, written by hand as a module-federation container
// (the interface JupyterLab loads: window._JUPYTERLAB[name] with init() and get()).
// It needs no build step and no node_modules: JupyterLab's own packages (@lumino/widgets,
// @jupyterlab/apputils, @jupyterlab/services) come from the share scope JupyterLab passes
// to init(), the way a built extension receives them.
//
// What it does, on every notebook:
// - nbgrader's Validate button is hidden on lessons, and wherever BorderDesk's own replaces it.
// - BorderDesk's Validate is on the toolbar of notebooks with nbgrader cells (exercises/,
//   solutions/, fetched assignments), not on the lessons. Opening one asks the server to start
//   its warm process (/borderdesk/validate/warm). Validate saves the notebook, asks the
//   server's /borderdesk/validate (borderdesk.validate_hook: nbgrader's Validate with a
//   warm kernel) and shows one line per question first: "3 of 8 questions pass", then
//   not attempted / the first failing message / passed; tracebacks are folded (<details>).
(function () {
  "use strict";

  let shareScope = null;

  // A shared package's module from JupyterLab's share scope (any version: they are singletons).
  async function shared(name) {
    const versions = (shareScope && shareScope[name]) || {};
    const entry = Object.values(versions).find((v) => v.loaded) || Object.values(versions)[0];
    if (!entry) {
      throw new Error("JupyterLab does not share " + name);
    }
    const factory = await entry.get();
    return factory();
  }

  function hasNbgraderCells(model) {
    for (const cell of model.cells) {
      if (cell.getMetadata("nbgrader")) {
        return true;
      }
    }
    return false;
  }

  // nbgrader's button is a React widget rendered later: style rules hide it whenever it
  // appears on a lesson or beside ours, and hide ours on lessons (the panel's classes say which).
  const STYLE = [
    ".borderdesk-lesson .jp-Toolbar-item:has(.validate-button), .borderdesk-lesson .validate-button,",
    ".borderdesk-own-validate .jp-Toolbar-item:has(.validate-button), .borderdesk-own-validate .validate-button",
    "{ display: none !important; }",
    ".borderdesk-lesson .borderdesk-validate-button { display: none !important; }",
    ".borderdesk-validate { max-width: 760px; line-height: 1.45; }",
    ".borderdesk-validate-line { font-size: 1.15em; font-weight: 600; margin: 0 0 0.6em; }",
    ".borderdesk-validate-problem { color: var(--jp-warn-color0); margin: 0 0 0.6em; white-space: pre-wrap; }",
    ".borderdesk-validate ul { list-style: none; padding: 0; margin: 0; }",
    // One grid row per question: its state in the first column, the rest in the second.
    ".borderdesk-validate-question { display: grid; grid-template-columns: 9em 1fr; margin: 0 0 0.5em; }",
    ".borderdesk-validate-question > :not(.borderdesk-validate-state) { grid-column: 2; }",
    ".borderdesk-validate-state { grid-column: 1; grid-row: 1; font-weight: 600; }",
    ".borderdesk-validate-question[data-state='passed'] .borderdesk-validate-state { color: var(--jp-success-color0); }",
    ".borderdesk-validate-question[data-state='failed'] .borderdesk-validate-state { color: var(--jp-error-color0); }",
    ".borderdesk-validate-question[data-state='not attempted'] .borderdesk-validate-state { color: var(--jp-ui-font-color2); }",
    ".borderdesk-validate-message { margin: 0.2em 0 0; white-space: pre-wrap; }",
    ".borderdesk-validate details { margin: 0.2em 0 0; }",
    ".borderdesk-validate pre { max-height: 16em; overflow: auto; font-size: 0.85em; white-space: pre-wrap; }",
  ].join("\n");

  function addStyle() {
    const style = document.createElement("style");
    style.id = "borderdesk-learner-style";
    style.textContent = STYLE;
    document.head.appendChild(style);
  }

  function serverUrl(app, path) {
    return app.serviceManager.serverSettings.baseUrl.replace(/\/?$/, "/") + path;
  }

  async function post(app, path, body) {
    const { ServerConnection } = await shared("@jupyterlab/services");
    const settings = app.serviceManager.serverSettings;
    const response = await ServerConnection.makeRequest(
      serverUrl(app, path),
      { method: "POST", body: JSON.stringify(body) },
      settings
    );
    if (!response.ok) {
      throw new Error("the server answered " + response.status + " " + response.statusText);
    }
    return response.json();
  }

  const warmed = new WeakSet(); // panels whose assignment already asked for the warm process

  function update(app, panel) {
    if (panel.isDisposed || !panel.context.model) {
      return;
    }
    const assignment = hasNbgraderCells(panel.context.model);
    panel.toggleClass("borderdesk-lesson", !assignment);
    if (assignment && !warmed.has(panel)) {
      // The server's warm process imports while the learner reads, so the first Validate is fast too.
      warmed.add(panel);
      post(app, "borderdesk/validate/warm", {}).catch((error) => console.warn("borderdesk: no warm Validate", error));
    }
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text; // never innerHTML: messages come from the learner's code
    }
    return node;
  }

  // What each state reads as, in plain words.
  const STATE_WORDS = {
    passed: "passed",
    failed: "not yet right",
    "not attempted": "not attempted",
    written: "written",
  };

  function points(n) {
    return n === 1 ? "1 point" : n + " points";
  }

  // The dialog's body: the summary line, any problem, then one line per question.
  function summaryNode(result) {
    const summary = result.summary || { line: "Validate did not answer", problem: "", questions: [] };
    const root = element("div", "borderdesk-validate");
    root.appendChild(element("p", "borderdesk-validate-line", summary.line));
    if (summary.problem) {
      root.appendChild(element("p", "borderdesk-validate-problem", summary.problem));
    }
    const list = element("ul");
    for (const q of summary.questions) {
      const item = element("li", "borderdesk-validate-question");
      item.dataset.state = q.state;
      item.dataset.gradeId = q.grade_id;
      item.appendChild(element("span", "borderdesk-validate-state", STATE_WORDS[q.state] || q.state));
      item.appendChild(element("span", "borderdesk-validate-title", q.title + " (" + points(q.points) + ")"));
      let note = "";
      if (q.state === "failed") {
        note = q.message;
      } else if (q.kind === "written") {
        note = q.state === "written" ? "Your instructor grades it by hand." : "Your answer is not written yet.";
      }
      if (note) {
        item.appendChild(element("div", "borderdesk-validate-message", note));
      }
      if (q.state === "failed" && q.traceback) {
        const details = element("details", "borderdesk-validate-traceback");
        details.appendChild(element("summary", "", "Show the full error"));
        details.appendChild(element("pre", "", q.traceback));
        item.appendChild(details);
      }
      list.appendChild(item);
    }
    root.appendChild(list);
    return root;
  }

  async function validate(app, panel, button) {
    const [{ Widget }, { Dialog, showDialog }] = await Promise.all([
      shared("@lumino/widgets"),
      shared("@jupyterlab/apputils"),
    ]);
    button.enabled = false;
    button.node.classList.add("borderdesk-validating");
    let body;
    try {
      await panel.context.save(); // Validate runs the notebook as saved
      body = summaryNode(await post(app, "borderdesk/validate", { path: panel.context.path }));
    } catch (error) {
      body = element("div", "borderdesk-validate");
      body.appendChild(element("p", "borderdesk-validate-line", "Validate could not run"));
      body.appendChild(element("p", "borderdesk-validate-problem", String(error) + ". Save the notebook and try again."));
    } finally {
      button.enabled = true;
      button.node.classList.remove("borderdesk-validating");
    }
    await showDialog({ title: "Validation results", body: new Widget({ node: body }), buttons: [Dialog.okButton()] });
  }

  async function addButton(app, panel) {
    const { ToolbarButton } = await shared("@jupyterlab/apputils");
    const button = new ToolbarButton({
      className: "borderdesk-validate-button",
      label: "Validate",
      tooltip: "Run the notebook's tests and list each question: passed, not yet right, or not attempted",
      onClick: () => validate(app, panel, button),
    });
    let index = 0; // before the toolbar's spacer, where nbgrader puts its button
    for (const item of panel.toolbar.children()) {
      if (!item || item.node.classList.contains("jp-Toolbar-spacer")) {
        break;
      }
      index++;
    }
    panel.toolbar.insertItem(index, "borderdesk-validate", button);
    panel.addClass("borderdesk-own-validate"); // nbgrader's Validate goes only once ours is there
  }

  const plugin = {
    id: "borderdesk-learner:validate-on-assignments-only",
    description: "BorderDesk's Validate (one line per question) on notebooks with nbgrader cells only.",
    autoStart: true,
    activate: function (app) {
      addStyle();
      app.docRegistry.addWidgetExtension("Notebook", {
        createNew: function (panel, context) {
          addButton(app, panel).catch((error) => console.error("borderdesk: no Validate button", error));
          context.ready.then(function () {
            update(app, panel);
            context.model.contentChanged.connect(function () {
              update(app, panel);
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
    init: function (scope) {
      shareScope = scope;
    },
    get: function (name) {
      if (!(name in modules)) {
        return Promise.reject(new Error('Module "' + name + '" does not exist in container.'));
      }
      return Promise.resolve(modules[name]);
    },
  };
})();
