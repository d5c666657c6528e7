// Autosave for audit section forms (AUD-2: work is saved as it goes).
//
// Progressive enhancement only: without JavaScript "Save and continue" saves the same form.
// While the auditor types, the whole form is posted to its own URL (debounced) and the server
// answers JSON: {version, saved_at} when saved, {version, saved_at, problems: [...]} when saved
// but for what was refused (a grade a limiting judgement forbids, say), {problems: [...]} when
// nothing could be saved, or {stale: true, ...} when someone else saved first. The hidden `version` field follows every
// save, so the next save (or the form's own submit) is not mistaken for a stale one. The
// user's input is never touched.

const DEBOUNCE_MS = 1200;

function setStatus(status, text) {
  status.textContent = text;
}

function formBody(form) {
  const body = new FormData(form);
  body.set("autosave", "1");
  return body;
}

function attach(form) {
  const status = form.querySelector("[data-autosave-status]");
  const versionField = form.querySelector("input[name='version']");
  if (!status || !versionField) {
    return;
  }
  let timer = null;
  let inFlight = null;
  let dirty = false;
  let stopped = false;

  async function save() {
    timer = null;
    if (stopped || !dirty) {
      return;
    }
    dirty = false;
    setStatus(status, "Saving…");
    try {
      const response = await fetch(form.action || window.location.href, {
        method: "POST",
        body: formBody(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest", Accept: "application/json" },
      });
      const data = await response.json();
      if (data.version !== undefined) {
        versionField.value = String(data.version);
      }
      const problems = (data.problems || []).map((p) => p.message).join("; ");
      if (response.ok && data.saved_at) {
        setStatus(status, `Saved at ${data.saved_at}`);
      } else if (data.saved_at && problems) {
        setStatus(status, `Saved at ${data.saved_at}, except: ${problems}`);
      } else if (data.stale) {
        // Someone else saved: stop autosaving so the user sees what changed when they save.
        stopped = true;
        setStatus(status, `Not saved: ${data.message}`);
      } else if (problems) {
        setStatus(status, `Not saved: ${problems}`);
      } else {
        setStatus(status, "Not saved: select Save and come back later to save your work");
      }
    } catch (error) {
      dirty = true;
      setStatus(status, "Not saved: the connection failed. Your answers are still on this page.");
    }
  }

  function schedule() {
    dirty = true;
    if (timer !== null) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(() => {
      inFlight = save().finally(() => {
        inFlight = null;
      });
    }, DEBOUNCE_MS);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);

  // A submit while an autosave is pending or under way waits for it, so that the submit carries
  // the version the autosave got back (and is not refused as stale by our own save).
  form.addEventListener("submit", (event) => {
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (inFlight === null) {
      return;
    }
    event.preventDefault();
    const submitter = event.submitter;
    inFlight.finally(() => {
      stopped = true;
      form.requestSubmit(submitter);
    });
  });
}

document.querySelectorAll("form[data-autosave]").forEach(attach);
