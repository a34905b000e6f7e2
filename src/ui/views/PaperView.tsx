import type { ViewState } from '../../state/viewState';
import type { ViewProps } from '../viewContext';
import { totalPersistence } from '../../tda/index';
import { GLOSSARY, type TermId } from '../glossary';
import { Term } from '../Term';

interface Step {
  title: string;
  text: string;
  /** Glossary entries the step's text relies on. */
  terms: TermId[];
  go: (v: ViewState) => void;
}

/** A guided tour of the paper's findings, on the live data, through the explorer's own views. */
export function PaperView({ view, update, all, model }: ViewProps) {
  const count = model?.layers.length ?? 17;
  const h1 = all?.value.map((r) => totalPersistence(r.dgms[1] ?? []));
  const steps: Step[] = [
    {
      title: 'Each layer is a point cloud with a shape',
      text: 'Every image is one point: the channel vector at the spatial position with the largest L2 norm (top-L2). Its Vietoris–Rips persistence shows how many loops (H1) the cloud has and how long they live.',
      terms: ['top-l2', 'persistence'],
      go: (v) => {
        v.view = 'persistence';
        v.layer = 1;
        v.cloud = 'top-l2';
      },
    },
    {
      title: 'Each layer has its own topology',
      text: h1
        ? `Total H1 persistence is ${h1[0].toPrecision(3)} at layer 1, peaks at ${Math.max(...h1).toPrecision(3)} at layer ${h1.indexOf(Math.max(...h1)) + 1} and is ${h1[h1.length - 1].toPrecision(3)} at layer ${count}: not a steady trend with depth. The bars under the layer strip show every layer.`
        : 'Once every layer is computed, the bars under the layer strip show the total H1 persistence of each layer.',
      terms: ['total-persistence'],
      go: (v) => {
        v.view = 'persistence';
        v.layer = count;
      },
    },
    {
      title: 'A topological distance between layers',
      text: 'The paper compares layers with the sliced Wasserstein distance between their H1 diagrams. The Layers view shows that 17 × 17 matrix beside linear CKA, and the rank correlation between the two — on the bundled model they rank layer pairs almost independently (see docs/reproduction.md).',
      terms: ['sw-h1', 'linear-cka', 'debiased-cka', 'spearman-rho', 'sw-vs-cka', 'low-cka'],
      go: (v) => {
        v.view = 'layers';
      },
    },
    {
      title: 'Mapper shows how classes are organised',
      text: 'In deep layers the Mapper graph (L2-norm lens, 40 intervals, 40 % overlap, DBSCAN at the knee) separates groups of classes: for Fashion-MNIST footwear (sandal, sneaker, ankle boot) apart from upper-body garments. Hover a node to see its images.',
      terms: ['l2norm', 'intervals', 'knee-eps', 'min-samples'],
      go: (v) => {
        v.view = 'mapper';
        v.layer = count;
      },
    },
    {
      title: 'Purity rises with depth',
      text: "Graph purity — how much a node's members share a point's label — quantifies the paper's observation; it is plotted for every layer at the bottom of the Mapper view. It rises overall from the stem to the last stage, with dips along the way.",
      terms: ['purity'],
      go: (v) => {
        v.view = 'mapper';
      },
    },
  ];
  return (
    <div className="paper-view" data-testid="paper-view">
      <p>
        The paper (<em>Experimental Observations of the Topology of Convolutional Neural Network Activations</em>) studies a ResNet-18 on CIFAR-10. Here the same
        analyses run live on the bundled quarter-width ResNet-18 trained on Fashion-MNIST. <code>npm run reproduce</code> writes the full comparison
        (docs/reproduction.md).
      </p>
      <ol className="tour">
        {steps.map((s, i) => (
          <li key={i}>
            <h4>{s.title}</h4>
            <p>{s.text}</p>
            <p className="terms">
              Terms:{' '}
              {s.terms.map((t, k) => (
                <span key={t}>
                  {k > 0 && ', '}
                  <Term id={t} /> <a href={`#glossary-${t}`} aria-label={`${GLOSSARY[t].term} in the glossary`}>↓</a>
                </span>
              ))}
            </p>
            <button type="button" onClick={() => update(s.go)}>
              Show me
            </button>
          </li>
        ))}
      </ol>
      <p className="muted small">Current view: layer {view.layer}, {view.cloud} cloud.</p>
      <section id="glossary" aria-labelledby="glossary-title">
        <h3 id="glossary-title">Glossary</h3>
        <dl className="glossary" data-testid="glossary">
          {(Object.keys(GLOSSARY) as TermId[]).map((t) => (
            <div key={t}>
              <dt id={`glossary-${t}`}>{GLOSSARY[t].term}</dt>
              <dd>{GLOSSARY[t].text}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
