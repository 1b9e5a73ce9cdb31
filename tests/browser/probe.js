// Run by selenium's execute_async_script on a loaded page; calls back with plain data:
// elements cut off at the current width, content images (alt text, single-coloured or not),
// figure caption numbers, synced tab sets and links to notebooks.
const done = arguments[arguments.length - 1];
const content = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;

function describe(element) {
  const text = (element.getAttribute("alt") || element.textContent || "").trim().replace(/\s+/g, " ");
  return `<${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}> ${text.slice(0, 60)}`;
}

// Why `element` cannot be seen whole at this width, or null. An element may stick out of its
// container only inside an ancestor that scrolls horizontally, and that ancestor must then fit.
function cutOff(element) {
  let box = element.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) return null; // not displayed (an inactive tab)
  const pageWidth = document.documentElement.clientWidth;
  for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
    const overflow = getComputedStyle(parent).overflowX;
    if (overflow === "auto" || overflow === "scroll") {
      box = parent.getBoundingClientRect(); // reachable by scrolling: now the scroller must fit
    } else if (overflow === "hidden" || overflow === "clip") {
      const frame = parent.getBoundingClientRect();
      if (box.left < frame.left - 1 || box.right > frame.right + 1) {
        return `clipped by ${describe(parent)} (${Math.round(box.left)}..${Math.round(box.right)} px outside ${Math.round(frame.left)}..${Math.round(frame.right)} px)`;
      }
    }
  }
  const left = box.left + window.scrollX; // page coordinates, wherever the window is scrolled
  const right = box.right + window.scrollX;
  if (left < -1 || right > pageWidth + 1) {
    return `sticks out of the ${pageWidth} px page (${Math.round(left)}..${Math.round(right)} px) with no scroll bar`;
  }
  return null;
}

function singleColour(image) {
  const width = Math.max(1, Math.min(image.naturalWidth, 256));
  const height = Math.max(1, Math.round(image.naturalHeight * width / image.naturalWidth));
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(image, 0, 0, width, height);
  const pixels = context.getImageData(0, 0, width, height).data;
  for (let i = 4; i < pixels.length; i += 4) {
    for (let c = 0; c < 4; c++) if (pixels[i + c] !== pixels[c]) return false;
  }
  return true;
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

async function settle() {
  // The theme animates its sidebars when the width changes: measure once they have stopped.
  // (Only running, finite ones; and at most 3 s, so that an odd animation cannot hang the probe.)
  const running = document.getAnimations().filter(
    (animation) => animation.playState === "running" && animation.effect?.getTiming().iterations !== Infinity,
  );
  const stopped = Promise.all(running.map((animation) => animation.finished.catch(() => null)));
  await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 3000))]);
  await nextFrame();
  await nextFrame();
}

async function probe() {
  window.scrollTo(0, 0);
  await settle();
  const images = Array.from(content.querySelectorAll("img"));
  await Promise.all(images.map((image) => {
    image.loading = "eager";
    return image.decode().catch(() => null);
  }));
  const cut = [];
  const selectors = 'mjx-container[display="true"], div.math, pre, figure, img';
  for (const element of content.querySelectorAll(selectors)) {
    const reason = cutOff(element);
    if (reason) cut.push(`${describe(element)}: ${reason}`);
  }
  const imageReports = images.map((image) => {
    const loaded = image.complete && image.naturalWidth > 0;
    let blank = null;
    if (loaded) {
      try { blank = singleColour(image); } catch (error) { blank = `unreadable: ${error}`; }
    }
    // A gallery thumbnail is a link whose text is the example's title (the example's own
    // figure carries the description), so an empty alt is right there.
    const thumbnail = image.closest(".sphx-glr-thumbcontainer") !== null;
    return { src: image.getAttribute("src"), alt: image.getAttribute("alt"), loaded, blank, thumbnail };
  });
  const captions = Array.from(content.querySelectorAll(".caption-number")).map((span) => span.textContent.trim());
  const groups = {};
  for (const label of content.querySelectorAll(".sd-tab-set > label[data-sync-group]")) {
    const group = label.dataset.syncGroup;
    const set = label.parentElement;
    groups[group] = groups[group] || [];
    if (!groups[group].includes(set)) groups[group].push(set);
  }
  const tabs = Object.fromEntries(Object.entries(groups).map(([group, sets]) => [group, sets.length])); // sets per group
  const notebooks = Array.from(document.querySelectorAll("a[href]"))
    .map((link) => link.href.split("#")[0])
    .filter((href) => href.endsWith(".ipynb"));
  return { cut, images: imageReports, captions, tabs, notebooks: Array.from(new Set(notebooks)) };
}

probe().then(done, (error) => done({ error: String(error) }));
