/**
 * On an embed page (`/embed/<name>/`) inside an iframe: posts the page's height to the parent
 * every time it changes, so an LMS page running the few lines from `resizeScript()` sizes the
 * iframe to the widget (no nested scrollbars). The height is not private, so any parent may read
 * it; the parent's script checks that the message comes from this site's origin.
 */
import { heightMessage } from './embed-catalog';

export function reportEmbedHeight(root: HTMLElement, widget: string, target: Window = window.parent): () => void {
  let last = -1;
  let frame = 0;
  const post = () => {
    frame = 0;
    const height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    target.postMessage(heightMessage(widget, height), '*');
  };
  const observer = new ResizeObserver(() => {
    frame ||= requestAnimationFrame(post);
  });
  observer.observe(root);
  post();
  return () => {
    observer.disconnect();
    cancelAnimationFrame(frame);
  };
}

const embed = document.querySelector<HTMLElement>('[data-embed]');
if (embed && window.parent !== window) reportEmbedHeight(document.body, embed.dataset.embed ?? '');
