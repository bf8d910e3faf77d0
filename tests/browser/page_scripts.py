"""JavaScript the browser tests evaluate in the page to read what a person sees."""

# The reply form's heading without its "Cancel reply" link, spaces collapsed.
HEADING_JS = """() => {
  const title = document.getElementById("reply-title");
  return [...title.childNodes]
    .filter((node) => node.nodeName !== "SMALL")
    .map((node) => node.textContent)
    .join("")
    .replace(/\\s+/g, " ")
    .trim();
}"""
