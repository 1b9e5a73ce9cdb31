// Click a figure to see it at full size: every content image that is not already a link
// becomes a link to its own file (notebook outputs, glue figures and gallery images alike).
document.addEventListener("DOMContentLoaded", () => {
  const images = document.querySelectorAll("article.bd-article img");
  for (const image of images) {
    if (image.closest("a") || image.closest(".sphx-glr-thumbcontainer")) continue;
    const link = document.createElement("a");
    link.href = image.getAttribute("src");
    link.className = "image-full-size";
    link.title = "Open the image at full size";
    image.replaceWith(link);
    link.appendChild(image);
  }
});
