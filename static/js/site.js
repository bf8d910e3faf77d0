/* Progressive enhancement: without this file, Reply links load ?replyto=<id>#respond and
   the server renders the form for that parent, and /comments/<id>/ finds a comment's page;
   the APA reference of "Cite this paper" is selectable text (a Copy button added here). */
(function () {
  "use strict";

  // A link to #comment-<id> made before a long discussion was paged again may name a
  // comment this page does not hold: its permalink finds the right page. Asked once per
  // comment and tab, so a comment that is nowhere to be seen cannot cause a loop.
  function findLinkedComment() {
    var match = /^#comment-(\d+)$/.exec(window.location.hash);
    var section = document.getElementById("comments");
    if (!match || !section || !section.getAttribute("data-permalink")) { return; }
    var key = "colloquy-sought-comment-" + match[1];
    try {
      if (document.getElementById("comment-" + match[1])) {
        window.sessionStorage.removeItem(key);
        return;
      }
      if (window.sessionStorage.getItem(key)) { return; }
      window.sessionStorage.setItem(key, "1");
    } catch (error) {
      return;  // no session storage: stay on this page rather than risk a loop
    }
    var permalink = section.getAttribute("data-permalink").replace(/\d+\/$/, match[1] + "/");
    window.location.replace(permalink);
  }

  function initReplyForm() {
    var respond = document.getElementById("respond");
    if (!respond) { return; }
    var form = respond.querySelector("form");
    var parentInput = form && form.querySelector("input[name=parent]");
    var title = document.getElementById("reply-title");
    var cancel = document.getElementById("cancel-comment-reply-link");
    if (!parentInput || !title || !cancel) { return; }
    var home = document.createElement("div");
    home.id = "respond-home";
    home.hidden = true;
    respond.parentNode.insertBefore(home, respond);

    function setHeading(name) {
      var text = name ? "Leave a Reply to " : "Leave a Reply";
      while (title.firstChild !== cancel.parentNode) { title.removeChild(title.firstChild); }
      title.insertBefore(document.createTextNode(text), cancel.parentNode);
      if (name) {
        var span = document.createElement("span");
        span.className = "reply-name";
        span.textContent = name;
        title.insertBefore(span, cancel.parentNode);
        title.insertBefore(document.createTextNode(" "), cancel.parentNode);
      }
    }

    function moveUnder(link) {
      var article = link.closest("article");
      article.parentNode.insertBefore(respond, article.nextSibling);
      parentInput.value = link.getAttribute("data-comment-id");
      setHeading(link.getAttribute("data-author"));
      cancel.hidden = false;
      var box = form.querySelector("textarea");
      if (box) { box.focus(); }
    }

    function restore() {
      home.parentNode.insertBefore(respond, home);
      parentInput.value = "";
      setHeading("");
      cancel.hidden = true;
    }

    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.comment-reply-link");
      if (link) {
        event.preventDefault();
        moveUnder(link);
        return;
      }
      if (event.target.closest && event.target.closest("#cancel-comment-reply-link")) {
        event.preventDefault();
        restore();
      }
    });
  }

  // "Cite this paper": a Copy button beside the reference, which without this script is
  // selectable text only.
  function initCopyCitation() {
    var reference = document.getElementById("cite-apa");
    if (!reference) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-secondary cite-copy";
    button.textContent = "Copy reference";
    var status = document.createElement("span");
    status.className = "cite-copy-status";
    status.setAttribute("role", "status");
    reference.parentNode.insertBefore(button, reference.nextSibling);
    button.parentNode.insertBefore(status, button.nextSibling);
    button.addEventListener("click", function () {
      var text = reference.textContent.replace(/\s+/g, " ").trim();
      function selectIt() {
        var range = document.createRange();
        range.selectNodeContents(reference);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        status.textContent = " Selected: press Ctrl+C (⌘C) to copy.";
      }
      if (!navigator.clipboard) { selectIt(); return; }
      navigator.clipboard.writeText(text).then(function () {
        status.textContent = " Copied.";
      }, selectIt);
    });
  }

  // "Edit" on one's own comment: the edit page's form, fetched, in place of the comment's
  // text; Cancel puts the text back. Without this script the link opens that page.
  function initEditInPlace() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.comment-edit-link");
      if (!link || !window.fetch || !window.DOMParser) { return; }
      var article = link.closest("article");
      var content = article && article.querySelector(".comment-content");
      if (!content || article.querySelector("#comment-edit-form")) { return; }
      event.preventDefault();
      fetch(link.href, { credentials: "same-origin" }).then(function (response) {
        return response.text().then(function (html) { return [response, html]; });
      }).then(function (answer) {
        var page = new DOMParser().parseFromString(answer[1], "text/html");
        var form = page.getElementById("comment-edit-form");
        if (!answer[0].ok || !form) { window.location.href = link.href; return; }
        form = document.importNode(form, true);
        content.hidden = true;
        link.parentNode.hidden = true;
        content.parentNode.insertBefore(form, content.nextSibling);
        var cancel = form.querySelector(".comment-edit-cancel");
        cancel.addEventListener("click", function (cancelEvent) {
          cancelEvent.preventDefault();
          form.parentNode.removeChild(form);
          content.hidden = false;
          link.parentNode.hidden = false;
          link.focus();
        });
        form.querySelector("textarea").focus();
      }, function () { window.location.href = link.href; });
    });
  }

  function init() {
    findLinkedComment();
    initReplyForm();
    initCopyCitation();
    initEditInPlace();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
